"""The demo council's voter petitions: two agencies (one with a sign-in), a voter meeting, and petitions at every
step, some answered and published, so the office's, the agency's and the public pages have something to show."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from session_server.auth.schemas import UserIn
from session_server.auth.users import create_user
from session_server.db.models import Council, Role, User
from session_server.petitions import service
from session_server.petitions.models import Agency, AgencyAccount, Channel, Level, MeetingMode, Rating, VoterMeeting
from session_server.petitions.schemas import ClassifyIn, PetitionIn, VoterIn

AGENCY_LOGIN = "ubnd"
PETITIONS = (
    (
        "Đề nghị sửa chữa tuyến đường liên thôn Đông – thôn Tây đã xuống cấp nghiêm trọng, mùa mưa đi lại khó khăn.",
        "Giao thông",
        "Thôn Đông",
        14,
        "UBND xã đã bố trí 1,2 tỷ đồng từ vốn đầu tư công năm 2027 để sửa chữa tuyến đường; thi công trong quý I/2027.",
    ),
    (
        "Đề nghị lắp đặt đèn chiếu sáng công cộng trên tuyến đường trục chính thôn Bắc.",
        "Điện, nước",
        "Thôn Bắc",
        6,
        "Công trình đèn chiếu sáng thôn Bắc đã được đưa vào kế hoạch năm 2027 bằng nguồn xã hội hóa.",
    ),
    ("Đề nghị bổ sung bác sĩ cho Trạm Y tế xã, hiện chỉ có một bác sĩ thường trực.", "Y tế", "Toàn xã", 22, ""),
    ("Đề nghị nạo vét kênh mương nội đồng N2 trước vụ Đông Xuân.", "Nông nghiệp", "Thôn Nam", 9, ""),
    (
        "Đề nghị sớm cấp giấy chứng nhận quyền sử dụng đất cho các hộ đã nộp hồ sơ từ năm 2023.",
        "Đất đai",
        "Thôn Tây",
        5,
        "",
    ),
    ("Đề nghị xây thêm phòng học cho điểm trường mầm non thôn Trung.", "Giáo dục", "Thôn Trung", 11, ""),
)


async def add_demo_petitions(db: AsyncSession, council: Council, secretary: User, password: str) -> None:
    commune = Agency(
        council_id=council.id, name=f"Ủy ban nhân dân {council.name.split('nhân dân ')[-1]}", level=Level.COMMUNE
    )
    health = Agency(council_id=council.id, name="Trung tâm Y tế khu vực", level=Level.PROVINCE)
    db.add_all([commune, health])
    meeting = VoterMeeting(
        council_id=council.id,
        held_on=date(2026, 11, 7),
        place="Nhà văn hóa thôn Đông",
        group="Tổ đại biểu số 1",
        mode=MeetingMode.IN_PERSON,
        voter_count=86,
        term=council.term,
    )
    db.add(meeting)
    await db.flush()
    account = await create_user(
        db,
        UserIn(
            username=AGENCY_LOGIN,
            display_name=commune.name,
            password=password,
            role=Role.AGENCY,
            council_id=council.id,
        ),
    )
    db.add(AgencyAccount(user_id=account.id, agency_id=commune.id))
    deadline = date(2027, 1, 15)
    for number, (content, field, locality, voters, reply) in enumerate(PETITIONS):
        petition = await service.create(
            db,
            council,
            PetitionIn(
                content=content,
                locality=locality,
                voter_count=voters,
                channel=Channel.MEETING,
                received_on=meeting.held_on,
                meeting_id=meeting.id,
                voters=[VoterIn(full_name="Nguyễn Văn Tư", address=locality)] if number == 0 else [],
            ),
            secretary,
        )
        if number == 5:
            continue
        await service.classify(db, petition, ClassifyIn(field=field, level=Level.COMMUNE), secretary)
        if number == 4:
            continue
        agency = health if field == "Y tế" else commune
        await service.forward(db, petition, agency, deadline - timedelta(days=40 * (number == 3)), secretary)
        if reply:
            await service.answer(db, petition, reply, account, commune.id)
            await service.publish(db, petition, True, secretary)
            if number == 0:
                await service.rate(db, petition, Rating.SATISFIED, "", secretary)
