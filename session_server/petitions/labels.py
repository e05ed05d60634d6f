"""Vietnamese names of the petition statuses, channels, levels and ratings, for exports and reports."""

from __future__ import annotations

from session_server.petitions.models import Channel, Level, PetitionStatus, Rating

STATUS_VI = {
    PetitionStatus.RECEIVED: "Mới tiếp nhận",
    PetitionStatus.CLASSIFIED: "Đã phân loại",
    PetitionStatus.FORWARDED: "Đã chuyển cơ quan giải quyết",
    PetitionStatus.ANSWERED: "Đã trả lời",
    PetitionStatus.CLOSED: "Đã kết thúc",
    PetitionStatus.RETURNED: "Trả lại",
}
CHANNEL_VI = {
    Channel.MEETING: "Tiếp xúc cử tri",
    Channel.ONLINE: "Trực tuyến",
    Channel.LETTER: "Đơn, thư",
    Channel.HOTLINE: "Đường dây nóng",
}
LEVEL_VI = {Level.COMMUNE: "Cấp xã", Level.PROVINCE: "Cấp tỉnh", Level.CENTRAL: "Trung ương"}
RATING_VI = {Rating.SATISFIED: "Hài lòng", Rating.PARTLY: "Hài lòng một phần", Rating.NOT_SATISFIED: "Chưa hài lòng"}
