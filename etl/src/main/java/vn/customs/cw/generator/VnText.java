package vn.customs.cw.generator;

import java.util.List;

/** Vietnamese words the generator composes names and comments from. */
final class VnText {
    private VnText() {}

    static final String[] COMPANY_FORMS = {"Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Công ty TNHH Thương mại"};
    static final String[] TRADES = {"Xuất nhập khẩu", "Thương mại và Dịch vụ", "Vận tải biển", "Sản xuất", "Đầu tư",
            "Logistics", "Than", "Nông sản", "Thủy sản", "Gỗ", "Vật liệu xây dựng", "Điện tử", "Dệt may", "Cơ khí"};
    static final String[] BRANDS = {"Hạ Long", "Móng Cái", "Cẩm Phả", "Vân Đồn", "Đông Bắc", "Hoàng Long", "Minh Phát",
            "Thành Đạt", "Phú Thịnh", "An Khang", "Việt Trung", "Hải Hà", "Tiên Yên", "Kim Sơn", "Bảo Ngọc",
            "Đại Dương", "Hưng Thịnh", "Quang Minh", "Trường Sơn", "Bình Minh", "Lạch Huyện", "Đình Vũ",
            "Tà Lùng", "Trùng Khánh", "Hồng Phúc", "Tân Cảng", "Sao Mai", "Phương Đông", "Nam Việt", "Cửa Ông"};

    static final String[] NEGATIVE = {"Thời gian kiểm tra hồ sơ quá lâu", "Cán bộ yêu cầu bổ sung nhiều lần",
            "Chưa được hướng dẫn đầy đủ thủ tục", "Hệ thống bị lỗi, phải khai lại",
            "Chờ kết quả kiểm tra chuyên ngành kéo dài", "Thái độ phục vụ chưa tốt",
            "Phí lưu kho bãi cao do chậm thông quan"};
    static final String[] NEUTRAL = {"Thủ tục bình thường", "Cần rút ngắn thời gian kiểm tra thực tế",
            "Mong được trả lời sớm hơn qua hệ thống", "Cần công khai rõ hơn quy trình"};
    static final String[] POSITIVE = {"Cán bộ hướng dẫn nhiệt tình", "Thông quan nhanh chóng", "Rất hài lòng với thái độ phục vụ",
            "Thủ tục đơn giản, thuận lợi"};

    static final String[] OWNER_UNITS = {"Phòng Nghiệp vụ", "Văn phòng Cục", "Phòng Tổ chức cán bộ", "Phòng Quản lý rủi ro",
            "Phòng Thanh tra", "Đội Kiểm soát hải quan", "Phòng Chống buôn lậu và Xử lý vi phạm", "Trung tâm Công nghệ thông tin"};

    static final List<String[]> TASK_GROUPS = List.of(
            new String[]{"PLAN", "Xây dựng kế hoạch cải cách hành chính năm", "Kiểm tra, đánh giá kết quả cải cách hành chính",
                    "Báo cáo sơ kết công tác cải cách hành chính", "Xây dựng chỉ số cải cách hành chính của đơn vị"},
            new String[]{"PROCEDURE_REVIEW", "Rà soát, đơn giản hóa thủ tục hành chính", "Rà soát quy định về thời gian giải quyết thủ tục",
                    "Đề xuất cắt giảm thành phần hồ sơ"},
            new String[]{"PROCEDURE_PUBLICATION", "Đề xuất công bố thủ tục hành chính", "Niêm yết công khai thủ tục hành chính",
                    "Cập nhật cơ sở dữ liệu quốc gia về thủ tục hành chính"},
            new String[]{"IT_APPLICATION", "Triển khai dịch vụ công trực tuyến mức độ 4", "Mở rộng hệ thống quản lý hải quan tự động tại cảng",
                    "Triển khai giám sát bằng seal định vị điện tử", "Kết nối Cơ chế một cửa quốc gia", "Nâng cấp hệ thống E-Manifest",
                    "Triển khai đo thời gian giải phóng hàng"},
            new String[]{"INSPECTION", "Kiểm tra công vụ tại các Chi cục", "Kiểm tra việc thực hiện quy chế văn hóa công sở",
                    "Kiểm tra việc tiếp nhận, xử lý phản ánh kiến nghị"},
            new String[]{"COMMUNICATION", "Đối thoại doanh nghiệp", "Tuyên truyền chính sách pháp luật hải quan",
                    "Ký kết quy chế phối hợp với hiệp hội doanh nghiệp", "Khảo sát sự hài lòng của doanh nghiệp",
                    "Hội nghị hải quan – doanh nghiệp"});
}
