-- Views meant for analysts (database `analyst`). Enterprise tax codes and officer ids are replaced by
-- a keyed hash: the same enterprise or officer keeps the same pseudonym across tables, so analysts can
-- still group and join, but cannot read the identifier. Tax codes have only 10 digits, so an unkeyed
-- hash could be reversed by trying them all: the key (${pseudonym_key}) comes from the environment
-- variable CW_PSEUDONYM_KEY, never from a committed file. Enterprise names are left out.
-- The rule: a view carries an identifier only hashed, and only where the view needs it to group.
CREATE OR REPLACE VIEW analyst.declarations AS
SELECT declaration_no, direction, type_code, department_code, office_code, team_code,
       substr(sha2(concat('${pseudonym_key}', '|', enterprise_tax_code), 256), 1, 16) AS enterprise_key,
       transport_mode, channel_code, status, is_cancelled, registered_at, registration_date, registration_year,
       hs_code, invoice_value_usd, tax_amount_vnd, item_count
FROM silver.declarations;

CREATE OR REPLACE VIEW analyst.release_time_facts AS
SELECT * FROM gold.release_time_facts;

CREATE OR REPLACE VIEW analyst.release_time_intervals AS
SELECT * FROM gold.release_time_intervals;

CREATE OR REPLACE VIEW analyst.enterprise_activity_monthly AS
SELECT department_code, year, month,
       substr(sha2(concat('${pseudonym_key}', '|', enterprise_tax_code), 256), 1, 16) AS enterprise_key,
       declarations, invoice_value_usd
FROM gold.enterprise_activity_monthly;

CREATE OR REPLACE VIEW analyst.satisfaction_followup AS
SELECT rating_id, declaration_no, department_code, office_code, team_code,
       substr(sha2(concat('${pseudonym_key}', '|', coalesce(officer_id, '')), 256), 1, 16) AS officer_key,
       rated_at, officer_level, team_level, office_level, worst_level, comment
FROM gold.satisfaction_followup;
