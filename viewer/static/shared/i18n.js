// The one message catalog of the browser apps, Vietnamese first, and the language switch.
// Every key holds both languages side by side, so a missing translation shows in review.

import { h } from './dom.js';

export const LANGUAGES = ['vi', 'en'];
const DEFAULT_LANGUAGE = 'vi';
const STORAGE_KEY = 'hopso.language';
const LOCALES = { vi: 'vi-VN', en: 'en-GB' };
const CHANGE_EVENT = 'hopso:language';

const CATALOG = {
  'product.name': { vi: 'HopSo', en: 'HopSo' },
  'product.tagline': { vi: 'Họp số — Hội đồng nhân dân', en: 'Digital sessions — People’s Council' },

  'app.login': { vi: 'Đăng nhập', en: 'Sign in' },
  'app.tablet': { vi: 'Máy tính bảng đại biểu', en: 'Delegate tablet' },
  'app.chair': { vi: 'Bàn điều hành chủ tọa', en: 'Chair’s console' },
  'app.public': { vi: 'Trang công khai', en: 'Public page' },
  'app.staff': { vi: 'Văn phòng HĐND', en: 'Council office' },

  'language.label': { vi: 'Ngôn ngữ', en: 'Language' },
  'language.vi': { vi: 'Tiếng Việt', en: 'Tiếng Việt' },
  'language.en': { vi: 'English', en: 'English' },

  'shell.skip': { vi: 'Bỏ qua, đến nội dung chính', en: 'Skip to main content' },
  'shell.signIn': { vi: 'Đăng nhập', en: 'Sign in' },
  'shell.signOut': { vi: 'Đăng xuất', en: 'Sign out' },
  'shell.signedInAs': { vi: 'Đang đăng nhập', en: 'Signed in' },
  'shell.loading': { vi: 'Đang tải…', en: 'Loading…' },
  'shell.wrongApp': {
    vi: 'Trang này dành cho {audience}. Tài khoản của bạn dùng trang khác.',
    en: 'This page is for {audience}. Your account uses another page.',
  },
  'shell.openHome': { vi: 'Mở {app}', en: 'Open the {app}' },
  'shell.audience.staff': { vi: 'Văn phòng HĐND và quản trị', en: 'council office staff and administrators' },

  'role.admin': { vi: 'Quản trị', en: 'Administrator' },
  'role.secretary': { vi: 'Văn phòng', en: 'Office' },
  'role.delegate': { vi: 'Đại biểu', en: 'Delegate' },

  'login.heading': { vi: 'Đăng nhập', en: 'Sign in' },
  'login.intro': {
    vi: 'Dành cho đại biểu, chủ tọa và Văn phòng Hội đồng nhân dân.',
    en: 'For delegates, chairs and the council office.',
  },
  'login.username': { vi: 'Tên đăng nhập', en: 'Username' },
  'login.password': { vi: 'Mật khẩu', en: 'Password' },
  'login.submit': { vi: 'Đăng nhập', en: 'Sign in' },
  'login.submitting': { vi: 'Đang đăng nhập…', en: 'Signing in…' },
  'login.missing': { vi: 'Nhập tên đăng nhập và mật khẩu.', en: 'Enter your username and password.' },
  'login.public': { vi: 'Người dân theo dõi kỳ họp tại', en: 'The public can follow sessions on the' },
  'login.publicLink': { vi: 'Trang công khai', en: 'public page' },
  'login.pairHeading': { vi: 'Máy tính bảng đại biểu', en: 'Delegate tablet' },
  'login.pairIntro': {
    vi: 'Nhập mã ghép máy do Văn phòng HĐND cung cấp, hoặc quét mã QR của Văn phòng.',
    en: 'Type the pairing code from the council office, or scan the office’s QR code.',
  },
  'login.pairCode': { vi: 'Mã ghép máy', en: 'Pairing code' },
  'login.pairSubmit': { vi: 'Ghép máy', en: 'Pair this tablet' },
  'login.pairing': { vi: 'Đang ghép máy…', en: 'Pairing…' },
  'login.pairMissing': { vi: 'Nhập mã ghép máy.', en: 'Enter the pairing code.' },

  'live.connecting': { vi: 'Đang kết nối tới máy chủ…', en: 'Connecting to the server…' },
  'live.online': { vi: 'Đã kết nối', en: 'Connected' },
  'live.offline': {
    vi: 'Mất kết nối tới máy chủ. Đang tự kết nối lại…',
    en: 'Connection to the server lost. Reconnecting…',
  },
  'live.refused': { vi: 'Máy chủ từ chối kết nối: {message}', en: 'The server refused the connection: {message}' },
  'live.refusedUnknown': { vi: 'Máy chủ từ chối kết nối.', en: 'The server refused the connection.' },
  'live.timeout': { vi: 'Máy chủ không trả lời kịp.', en: 'The server did not answer in time.' },
  'live.noAnswer': {
    vi: 'Máy chủ chưa nhận yêu cầu theo dõi kỳ họp.',
    en: 'The server did not accept the request to follow the session.',
  },
  'live.failed': { vi: 'Yêu cầu không thực hiện được.', en: 'The request failed.' },

  'error.network': {
    vi: 'Không kết nối được tới máy chủ. Kiểm tra mạng rồi thử lại.',
    en: 'Cannot reach the server. Check the network and try again.',
  },
  'error.http': { vi: 'Máy chủ báo lỗi {status}.', en: 'The server answered with error {status}.' },
  'error.retry': { vi: 'Thử lại', en: 'Try again' },

  'council.label': { vi: 'Hội đồng nhân dân', en: 'Council' },
  'council.term': { vi: 'Nhiệm kỳ {term}', en: 'Term {term}' },
  'council.total': { vi: 'Tổng số đại biểu: {count}', en: 'Total delegates: {count}' },
  'council.none': { vi: 'Chưa có hội đồng nhân dân nào.', en: 'There are no councils yet.' },
  'council.missing': {
    vi: 'Tài khoản này chưa gắn với hội đồng nhân dân nào.',
    en: 'This account does not belong to a council.',
  },

  'sessions.heading': { vi: 'Kỳ họp', en: 'Sessions' },
  'sessions.none': { vi: 'Chưa có kỳ họp nào.', en: 'No sessions yet.' },
  'sessions.choose': {
    vi: 'Chọn một kỳ họp để xem chương trình.',
    en: 'Choose a session to see its agenda.',
  },
  'session.kind.regular': { vi: 'Kỳ họp thường lệ', en: 'Regular session' },
  'session.kind.thematic': { vi: 'Kỳ họp chuyên đề', en: 'Thematic session' },
  'session.kind.extraordinary': { vi: 'Kỳ họp bất thường', en: 'Extraordinary session' },
  'session.kind.standing_committee': { vi: 'Phiên họp Thường trực HĐND', en: 'Standing committee meeting' },
  'session.status.draft': { vi: 'Đang soạn', en: 'Draft' },
  'session.status.scheduled': { vi: 'Đã lên lịch', en: 'Scheduled' },
  'session.status.live': { vi: 'Đang họp', en: 'In session' },
  'session.status.paused': { vi: 'Tạm dừng', en: 'Paused' },
  'session.status.ended': { vi: 'Đã bế mạc', en: 'Ended' },
  'session.status.archived': { vi: 'Đã lưu trữ', en: 'Archived' },
  'session.closed': { vi: 'Họp kín', en: 'Closed session' },
  'session.noTime': { vi: 'Chưa định thời gian', en: 'Time not set' },
  'session.place': { vi: 'Địa điểm: {place}', en: 'Place: {place}' },
  'session.following': { vi: 'Đang theo dõi trực tiếp kỳ họp.', en: 'Following the session live.' },
  'session.notFollowing': {
    vi: 'Chưa theo dõi trực tiếp được: {message}',
    en: 'Cannot follow the session live yet: {message}',
  },

  'agenda.heading': { vi: 'Chương trình kỳ họp', en: 'Agenda' },
  'agenda.empty': { vi: 'Chương trình chưa có nội dung.', en: 'The agenda is empty.' },
  'agenda.presenter': { vi: 'Trình bày: {name}', en: 'Presented by {name}' },
  'agenda.kind.report': { vi: 'Báo cáo', en: 'Report' },
  'agenda.kind.draft_resolution': { vi: 'Dự thảo nghị quyết', en: 'Draft resolution' },
  'agenda.kind.questioning': { vi: 'Chất vấn', en: 'Questioning' },
  'agenda.kind.discussion': { vi: 'Thảo luận', en: 'Discussion' },
  'agenda.kind.vote': { vi: 'Biểu quyết', en: 'Vote' },
  'agenda.kind.other': { vi: 'Nội dung khác', en: 'Other' },
  'motion.ballot.open': { vi: 'Biểu quyết công khai', en: 'Open vote' },
  'motion.ballot.named': { vi: 'Biểu quyết ghi danh', en: 'Named vote' },
  'motion.ballot.secret': { vi: 'Bỏ phiếu kín', en: 'Secret ballot' },

  'members.heading': { vi: 'Đại biểu', en: 'Delegates' },
  'members.count': { vi: '{count} đại biểu trong danh sách', en: '{count} delegates listed' },
  'members.none': {
    vi: 'Chưa có đại biểu nào trong danh sách.',
    en: 'No delegates are listed yet.',
  },
  'members.table': { vi: 'Danh sách đại biểu', en: 'List of delegates' },
  'member.code': { vi: 'Mã', en: 'Code' },
  'member.name': { vi: 'Họ và tên', en: 'Full name' },
  'member.title': { vi: 'Chức vụ', en: 'Title' },
  'member.group': { vi: 'Tổ đại biểu', en: 'Delegate group' },
  'member.committee': { vi: 'Ban', en: 'Committee' },
  'member.status': { vi: 'Tình trạng', en: 'Status' },
  'member.inOffice': { vi: 'Đương nhiệm', en: 'In office' },
  'member.left': { vi: 'Thôi làm đại biểu', en: 'Left office' },
  'member.tablet': { vi: 'Máy tính bảng', en: 'Tablet' },

  'pairing.button': { vi: 'Ghép máy tính bảng', en: 'Pair a tablet' },
  'pairing.buttonFor': { vi: 'Ghép máy tính bảng cho {name}', en: 'Pair a tablet for {name}' },
  'pairing.title': { vi: 'Ghép máy tính bảng: {name}', en: 'Pair a tablet: {name}' },
  'pairing.instructions': {
    vi: 'Quét mã QR bằng máy ảnh của máy tính bảng, hoặc mở trang Đăng nhập trên máy và nhập mã dưới đây. Mã chỉ dùng được một lần.',
    en: 'Scan the QR code with the tablet’s camera, or open the sign-in page on the tablet and type the code below. The code works once.',
  },
  'pairing.qrAlt': { vi: 'Mã QR để ghép máy tính bảng', en: 'QR code to pair the tablet' },
  'pairing.expires': { vi: 'Hết hạn lúc {time}', en: 'Expires at {time}' },
  'pairing.expired': { vi: 'Mã đã hết hạn. Hãy tạo mã mới.', en: 'The code has expired. Make a new one.' },
  'pairing.newCode': { vi: 'Tạo mã mới', en: 'New code' },
  'pairing.close': { vi: 'Đóng', en: 'Close' },

  'public.heading': { vi: 'Theo dõi kỳ họp Hội đồng nhân dân', en: 'Follow the People’s Council' },
  'public.intro': {
    vi:
      'Trang này phát trực tiếp các kỳ họp công khai: chương trình, người đang phát biểu, ' +
      'tài liệu công khai và kết quả biểu quyết.',
    en: 'This page streams public sessions live: the agenda, the current speaker, public documents and voting results.',
  },
  'public.howto': {
    vi: 'Mở đường dẫn hoặc mã QR của kỳ họp do Văn phòng HĐND công bố để theo dõi.',
    en: 'Open the session link or QR code published by the council office to follow it.',
  },
  'public.session': { vi: 'Kỳ họp số {id}', en: 'Session no. {id}' },

  'sessions.back': { vi: 'Các kỳ họp', en: 'All sessions' },
  'agenda.current': { vi: 'Đang thực hiện', en: 'Now' },
  'agenda.now': { vi: 'Đang thực hiện', en: 'Current' },
  'agenda.goto': { vi: 'Chuyển đến', en: 'Go to' },
  'agenda.gotoItem': { vi: 'Chuyển đến mục: {title}', en: 'Go to item: {title}' },

  'quorum.present': { vi: 'Có mặt {present}/{total}', en: '{present} of {total} present' },
  'quorum.met': { vi: 'Đủ túc số', en: 'Quorum' },
  'quorum.short': { vi: 'Chưa đủ túc số (cần {required})', en: 'No quorum ({required} needed)' },

  'checkin.button': { vi: 'Điểm danh', en: 'Check in' },
  'checkin.done': { vi: 'Đã điểm danh lúc {time}', en: 'Checked in at {time}' },
  'checkin.notDelegate': { vi: 'Tài khoản này không phải đại biểu.', en: 'This account is not a delegate.' },
  'attendance.heading': { vi: 'Điểm danh', en: 'Attendance' },
  'attendance.list': { vi: 'Danh sách {count} đại biểu', en: 'All {count} delegates' },
  'attendance.markPresent': { vi: 'Có mặt', en: 'Present' },
  'attendance.markPresentFor': { vi: 'Ghi nhận có mặt: {name}', en: 'Mark present: {name}' },
  'attendance.status.present': { vi: 'Có mặt', en: 'Present' },
  'attendance.status.absent': { vi: 'Vắng mặt', en: 'Absent' },
  'attendance.status.absent_with_reason': { vi: 'Vắng có lý do', en: 'Excused' },
  'attendance.status.unknown': { vi: 'Chưa điểm danh', en: 'Not checked in' },

  'chair.controls': { vi: 'Điều hành kỳ họp', en: 'Session controls' },
  'chair.open': { vi: 'Khai mạc', en: 'Open the session' },
  'chair.pause': { vi: 'Tạm dừng', en: 'Pause' },
  'chair.resume': { vi: 'Tiếp tục', en: 'Resume' },
  'chair.close': { vi: 'Bế mạc', en: 'Close the session' },

  'doc.heading': { vi: 'Tài liệu', en: 'Documents' },
  'doc.public': { vi: 'Tài liệu công khai', en: 'Public documents' },
  'doc.list': { vi: 'Tài liệu của kỳ họp', en: 'Session documents' },
  'doc.none': { vi: 'Chưa có tài liệu.', en: 'No documents yet.' },
  'doc.choice': { vi: '{title} ({count} trang)', en: '{title} ({count} pages)' },
  'doc.choose': { vi: 'Chọn một tài liệu bên dưới để đọc.', en: 'Choose a document below to read.' },
  'doc.nothingShown': {
    vi: 'Chủ tọa chưa trình chiếu tài liệu. Bạn có thể mở tài liệu bên dưới.',
    en: 'The chair is not showing a document. You can open one below.',
  },
  'doc.follow': { vi: 'Theo chủ tọa', en: 'Follow the chair' },
  'doc.following': { vi: 'Đang theo chủ tọa', en: 'Following the chair' },
  'doc.pageOf': { vi: 'Trang {page}/{count}', en: 'Page {page} of {count}' },
  'doc.pageAlt': { vi: '{title}, trang {page}', en: '{title}, page {page}' },
  'doc.goToPage': { vi: 'Trang {page}', en: 'Page {page}' },
  'doc.thumbnails': { vi: 'Các trang', en: 'Pages' },
  'doc.previous': { vi: 'Trang trước', en: 'Previous page' },
  'doc.next': { vi: 'Trang sau', en: 'Next page' },
  'doc.zoomIn': { vi: 'Phóng to', en: 'Zoom in' },
  'doc.zoomOut': { vi: 'Thu nhỏ', en: 'Zoom out' },
  'doc.classification.public': { vi: 'Công khai', en: 'Public' },
  'doc.classification.internal': { vi: 'Nội bộ', en: 'Internal' },
  'doc.classification.restricted': { vi: 'Hạn chế', en: 'Restricted' },

  'notes.heading': { vi: 'Ghi chú riêng', en: 'Private notes' },
  'notes.label': { vi: 'Ghi chú cho trang {page} (chỉ bạn xem được)', en: 'Note on page {page} (only you can see it)' },
  'notes.save': { vi: 'Lưu ghi chú', en: 'Save note' },
  'notes.saved': { vi: 'Đã lưu ghi chú.', en: 'Note saved.' },
  'notes.page': { vi: 'Trang {page}', en: 'Page {page}' },

  'presenter.heading': { vi: 'Trình chiếu tài liệu', en: 'Presenting' },
  'presenter.showing': {
    vi: 'Máy tính bảng của đại biểu đang theo trang này. Lật trang bằng nút hoặc phím PageUp/PageDown.',
    en: 'Delegates’ tablets follow this page. Turn pages with the buttons or PageUp/PageDown.',
  },
  'presenter.nothing': { vi: 'Chưa trình chiếu tài liệu nào.', en: 'No document is being shown.' },
  'presenter.show': { vi: 'Trình chiếu', en: 'Show' },
  'presenter.showTitle': { vi: 'Trình chiếu: {title}', en: 'Show: {title}' },
  'presenter.hide': { vi: 'Thôi trình chiếu', en: 'Stop showing' },

  'speech.kind.discussion': { vi: 'Thảo luận', en: 'Discussion' },
  'speech.kind.question': { vi: 'Chất vấn', en: 'Question' },
  'speech.kind.debate': { vi: 'Tranh luận', en: 'Debate reply' },
  'speech.kind.point_of_order': { vi: 'Kiến nghị thủ tục', en: 'Point of order' },
  'speech.kind.explanation': { vi: 'Giải trình', en: 'Explanation' },
  'speakers.heading': { vi: 'Phát biểu', en: 'The floor' },
  'speakers.now': { vi: 'Đang phát biểu', en: 'Speaking now' },
  'speakers.nobody': { vi: 'Chưa có ai phát biểu.', en: 'Nobody has the floor.' },
  'speakers.timeLeft': { vi: 'Thời gian còn lại', en: 'Time left' },
  'speakers.kind': { vi: 'Hình thức', en: 'Kind' },
  'speakers.request': { vi: 'Đăng ký phát biểu', en: 'Ask for the floor' },
  'speakers.withdraw': { vi: 'Rút đăng ký', en: 'Withdraw' },
  'speakers.position': { vi: 'Bạn đứng thứ {position}/{count} trong danh sách', en: 'You are number {position} of {count} in the queue' },
  'speakers.youSpeak': { vi: 'Mời bạn phát biểu.', en: 'You have the floor.' },
  'speakers.queue': { vi: 'Đăng ký phát biểu ({count})', en: 'Queue ({count})' },
  'speakers.queueEmpty': { vi: 'Chưa có đại biểu đăng ký.', en: 'Nobody is waiting.' },
  'speakers.grant': { vi: 'Mời phát biểu', en: 'Give the floor' },
  'speakers.grantTo': { vi: 'Mời {name} phát biểu', en: 'Give the floor to {name}' },
  'speakers.up': { vi: 'Đưa {name} lên trước', en: 'Move {name} up' },
  'speakers.down': { vi: 'Đưa {name} xuống sau', en: 'Move {name} down' },
  'speakers.remove': { vi: 'Bỏ {name} khỏi danh sách', en: 'Remove {name} from the queue' },
  'speakers.end': { vi: 'Kết thúc phát biểu', en: 'End the speech' },
  'speakers.extend': { vi: '+{minutes} phút', en: '+{minutes} min' },
  'vote.proceduralAdd': { vi: 'Thêm biểu quyết thủ tục', en: 'Add a procedural vote' },
  'vote.proceduralTitle': { vi: 'Nội dung biểu quyết', en: 'What is voted on' },
  'vote.proceduralBallot': { vi: 'Hình thức biểu quyết', en: 'Ballot' },
  'vote.proceduralButton': { vi: 'Thêm vào mục đang họp', en: 'Add to the current item' },
  'speakers.add': { vi: 'Thêm người phát biểu', en: 'Add a speaker' },
  'speakers.addWho': { vi: 'Đại biểu', en: 'Delegate' },
  'speakers.addButton': { vi: 'Thêm vào danh sách', en: 'Add to the queue' },

  'choice.yes': { vi: 'Tán thành', en: 'Yes' },
  'choice.no': { vi: 'Không tán thành', en: 'No' },
  'choice.abstain': { vi: 'Không biểu quyết', en: 'Abstain' },
  'choice.confidence': { vi: 'Tín nhiệm', en: 'Confidence' },
  'choice.no_confidence': { vi: 'Không tín nhiệm', en: 'No confidence' },
  'choice.high': { vi: 'Tín nhiệm cao', en: 'High confidence' },
  'choice.medium': { vi: 'Tín nhiệm', en: 'Confidence' },
  'choice.low': { vi: 'Tín nhiệm thấp', en: 'Low confidence' },
  'vote.heading': { vi: 'Biểu quyết', en: 'Votes' },
  'vote.open': { vi: 'Đang biểu quyết', en: 'Voting' },
  'vote.openButton': { vi: 'Mở biểu quyết', en: 'Open the vote' },
  'vote.openFor': { vi: 'Mở biểu quyết: {title}', en: 'Open the vote: {title}' },
  'vote.close': { vi: 'Kết thúc biểu quyết', en: 'Close the vote' },
  'vote.nonePending': { vi: 'Không còn nội dung chờ biểu quyết.', en: 'Nothing waits to be voted on.' },
  'vote.castCount': { vi: 'Đã biểu quyết: {cast}/{present} đại biểu có mặt', en: 'Voted: {cast} of {present} present' },
  'vote.readAloud': { vi: 'Kết quả để công bố', en: 'Result to announce' },
  'vote.results': { vi: 'Kết quả biểu quyết', en: 'Voting results' },
  'vote.noResults': { vi: 'Chưa có kết quả biểu quyết.', en: 'No results yet.' },
  'vote.passed': { vi: 'Được thông qua', en: 'Passed' },
  'vote.failed': { vi: 'Không được thông qua', en: 'Not passed' },
  'vote.namedList': { vi: 'Danh sách biểu quyết ({count})', en: 'How each voted ({count})' },
  'vote.inProgress': { vi: 'Đang biểu quyết: {title} ({ballot})', en: 'Voting on: {title} ({ballot})' },
  'vote.instruction': { vi: 'Chọn một trong ba nút:', en: 'Choose one:' },
  'vote.electionHint': { vi: 'Chọn tối đa {seats} người rồi bấm Tiếp tục.', en: 'Choose up to {seats}, then Continue.' },
  'vote.next': { vi: 'Tiếp tục', en: 'Continue' },
  'vote.confirmQuestion': { vi: 'Bạn xác nhận lựa chọn:', en: 'Confirm your choice:' },
  'vote.submit': { vi: 'Xác nhận biểu quyết', en: 'Confirm my vote' },
  'vote.back': { vi: 'Chọn lại', en: 'Choose again' },
  'vote.recorded': { vi: 'Phiếu biểu quyết của bạn đã được ghi nhận.', en: 'Your vote was recorded.' },
  'vote.yourChoice': { vi: 'Lựa chọn của bạn: {choice}', en: 'Your choice: {choice}' },
  'vote.change': { vi: 'Thay đổi lựa chọn', en: 'Change my vote' },
  'vote.checkInFirst': { vi: 'Hãy điểm danh trước khi biểu quyết.', en: 'Check in before voting.' },
  'vote.notDelegate': { vi: 'Chỉ đại biểu mới biểu quyết.', en: 'Only delegates vote.' },
  'vote.timeLeft': { vi: 'Thời gian biểu quyết còn lại', en: 'Voting time left' },

  'stream.heading': { vi: 'Truyền hình trực tiếp', en: 'Livestream' },
  'stream.label': { vi: 'Trực tiếp', en: 'Stream' },
  'stream.video': { vi: 'Video trực tiếp kỳ họp', en: 'Live video of the session' },
  'stream.status.off': { vi: 'Chưa bật', en: 'Off' },
  'stream.status.waiting': { vi: 'Chờ tín hiệu', en: 'Waiting for the camera' },
  'stream.status.live': { vi: 'Đang phát', en: 'Live' },
  'stream.status.reconnecting': { vi: 'Mất tín hiệu, đang chờ', en: 'Signal lost, waiting' },
  'stream.status.paused': { vi: 'Tạm gián đoạn', en: 'Interrupted' },
  'stream.status.ended': { vi: 'Đã kết thúc', en: 'Ended' },
  'stream.public.off': { vi: 'Kỳ họp chưa phát trực tiếp.', en: 'The session is not being streamed.' },
  'stream.public.waiting': { vi: 'Sắp phát trực tiếp…', en: 'The stream starts soon…' },
  'stream.public.paused': { vi: 'Tín hiệu tạm gián đoạn, xin chờ…', en: 'The signal is interrupted; please wait…' },
  'stream.public.ended': { vi: 'Buổi phát trực tiếp đã kết thúc.', en: 'The livestream has ended.' },
  'stream.arm': { vi: 'Tạo khóa phát trực tiếp', en: 'Arm the stream' },
  'stream.rearm': { vi: 'Tạo khóa mới (khóa cũ hết hiệu lực)', en: 'New key (the old one stops working)' },
  'stream.keyOnce': {
    vi: 'Khóa chỉ hiện một lần. Nhập địa chỉ RTMP và khóa vào bộ mã hóa của hội trường (OBS…).',
    en: 'The key is shown once. Enter the RTMP address and key in the hall encoder (OBS…).',
  },
  'stream.keyHint': { vi: 'Khóa hiện tại: …{hint}', en: 'Current key: …{hint}' },
  'stream.rtmpUrl': { vi: 'Địa chỉ RTMP (kèm khóa)', en: 'RTMP address (with key)' },
  'stream.key': { vi: 'Khóa phát', en: 'Stream key' },
  'stream.whipUrl': { vi: 'Địa chỉ WHIP (trình duyệt, OBS 30+)', en: 'WHIP address (browser, OBS 30+)' },
  'stream.copy': { vi: 'Sao chép', en: 'Copy' },

  'setup.heading': { vi: 'Chuẩn bị: {title}', en: 'Preparing: {title}' },
  'setup.newSession': { vi: 'Tạo kỳ họp mới', en: 'New session' },
  'setup.sessionTitle': { vi: 'Tên kỳ họp', en: 'Title' },
  'setup.sessionKind': { vi: 'Loại kỳ họp', en: 'Kind' },
  'setup.startsAt': { vi: 'Thời gian khai mạc', en: 'Opens at' },
  'setup.place': { vi: 'Địa điểm', en: 'Place' },
  'setup.public': { vi: 'Họp công khai (phát trực tiếp cho người dân)', en: 'Public session (streamed to the public)' },
  'setup.create': { vi: 'Tạo kỳ họp', en: 'Create' },
  'setup.chair': { vi: 'Chủ tọa', en: 'Chair' },
  'setup.secretary': { vi: 'Thư ký kỳ họp', en: 'Session secretary' },
  'setup.nobody': { vi: '— Chưa chọn —', en: '— None —' },
  'setup.save': { vi: 'Lưu', en: 'Save' },
  'setup.schedule': { vi: 'Lên lịch kỳ họp', en: 'Schedule the session' },
  'setup.unschedule': { vi: 'Đưa về bản soạn', en: 'Back to draft' },
  'setup.draftHint': {
    vi: 'Kỳ họp đang soạn. Khi đã đủ chương trình và tài liệu, hãy lên lịch để đại biểu thấy.',
    en: 'The session is a draft. Schedule it once the agenda and documents are ready.',
  },
  'setup.scheduledHint': { vi: 'Kỳ họp đã lên lịch; chủ tọa khai mạc từ bàn điều hành.', en: 'Scheduled; the chair opens it from the console.' },
  'setup.addItem': { vi: 'Thêm mục vào chương trình', en: 'Add an agenda item' },
  'setup.itemTitle': { vi: 'Tên mục', en: 'Title' },
  'setup.itemKind': { vi: 'Loại', en: 'Kind' },
  'setup.presenter': { vi: 'Người trình bày', en: 'Presented by' },
  'setup.addItemButton': { vi: 'Thêm mục', en: 'Add item' },
  'setup.addMotion': { vi: 'Thêm nội dung biểu quyết', en: 'Add a motion' },
  'setup.motionTitle': { vi: 'Nội dung biểu quyết', en: 'Motion' },
  'setup.ballot': { vi: 'Hình thức', en: 'Ballot' },
  'setup.addMotionButton': { vi: 'Thêm', en: 'Add' },
  'setup.addDocument': { vi: 'Tải lên tài liệu (PDF)', en: 'Upload a document (PDF)' },
  'setup.file': { vi: 'Tệp PDF', en: 'PDF file' },
  'setup.docTitle': { vi: 'Tên tài liệu (để trống: theo tên tệp)', en: 'Title (empty: the file name)' },
  'setup.classification': { vi: 'Mức độ', en: 'Classification' },
  'setup.item': { vi: 'Thuộc mục', en: 'Agenda item' },
  'setup.noItem': { vi: 'Tài liệu chung', en: 'General' },
  'setup.notSecret': { vi: 'Tôi xác nhận đây không phải tài liệu mật', en: 'I confirm this is not a state-secret document' },
  'setup.confirmNotSecret': { vi: 'Hãy xác nhận tài liệu không phải tài liệu mật.', en: 'Confirm the document is not a state secret.' },
  'setup.upload': { vi: 'Tải lên', en: 'Upload' },

  'members.import': { vi: 'Nhập danh sách từ tệp CSV', en: 'Import from a CSV file' },
  'members.importHint': {
    vi: 'Cột: code, full_name, title, group, committee. Đại biểu có mã đã có sẽ được cập nhật.',
    en: 'Columns: code, full_name, title, group, committee. Existing codes are updated.',
  },
  'members.importFile': { vi: 'Tệp CSV', en: 'CSV file' },
  'members.importButton': { vi: 'Nhập', en: 'Import' },
  'members.importMissing': { vi: 'Hãy chọn tệp CSV.', en: 'Choose a CSV file.' },

  'archive.heading': { vi: 'Các kỳ họp đã lưu trữ', en: 'Past sessions' },
  'archive.none': { vi: 'Chưa có kỳ họp nào được công bố.', en: 'No sessions published yet.' },
  'archive.chapters': { vi: 'Mục lục video', en: 'Chapters' },
  'archive.minutes': { vi: 'Biên bản kỳ họp (PDF)', en: 'Minutes (PDF)' },
  'archive.review': { vi: 'Lưu trữ và biên bản', en: 'Archive and minutes' },
  'archive.minutesStatus': { vi: 'Biên bản: {status}', en: 'Minutes: {status}' },
  'archive.minutesPdf': { vi: 'Xem biên bản (PDF)', en: 'Minutes (PDF)' },
  'archive.approve': { vi: 'Duyệt biên bản', en: 'Approve the minutes' },
  'archive.publish': { vi: 'Công bố', en: 'Publish' },
  'archive.rerun': { vi: 'Chạy lại lưu trữ', en: 'Run the archive again' },
  'archive.status.pending': { vi: 'Đang chờ', en: 'Pending' },
  'archive.status.running': { vi: 'Đang xử lý', en: 'Running' },
  'archive.status.done': { vi: 'Hoàn tất', en: 'Done' },
  'archive.status.failed': { vi: 'Lỗi', en: 'Failed' },
  'minutes.status.draft': { vi: 'Bản nháp', en: 'Draft' },
  'minutes.status.approved': { vi: 'Đã duyệt', en: 'Approved' },
  'minutes.status.published': { vi: 'Đã công bố', en: 'Published' },
  'archive.video': { vi: 'Video kỳ họp', en: 'Session video' },
  'minutes.draft': { vi: 'Biên bản (bản nháp)', en: 'Draft minutes' },
  'minutes.speech': { vi: '{speaker} — {kind} ({time})', en: '{speaker} — {kind} ({time})' },
  'minutes.itemNote': { vi: 'Ghi chú của mục', en: 'Note on this item' },
  'minutes.otherSpeeches': { vi: 'Phát biểu ngoài chương trình', en: 'Speeches outside the agenda' },
  'minutes.notes': { vi: 'Ghi chú cuối biên bản', en: 'Closing notes' },
  'minutes.save': { vi: 'Lưu bản nháp', en: 'Save the draft' },
  'minutes.saved': { vi: 'Đã lưu bản nháp.', en: 'Draft saved.' },
  'minutes.signatureValid': { vi: 'Chữ ký số hợp lệ — {signer}, ký lúc {at}.', en: 'Valid digital signature — {signer}, signed {at}.' },
  'minutes.signatureInvalid': {
    vi: 'Chữ ký số không hợp lệ hoặc không phải của chứng thư hội đồng.',
    en: 'The digital signature is not valid or not made with the council’s certificate.',
  },
  'minutes.checkSignature': { vi: 'Kiểm tra lại chữ ký', en: 'Check the signature again' },
  'minutes.reopen': { vi: 'Mở lại biên bản để sửa', en: 'Reopen the minutes to correct them' },
  'minutes.reopenHint': {
    vi: 'Biên bản trở lại bản nháp; bản PDF đã ký được rút khỏi trang công khai cho tới khi được duyệt và ký lại.',
    en: 'The minutes go back to draft; the signed PDF leaves the public archive until they are approved and signed again.',
  },
  'minutes.reopenReason': { vi: 'Lý do mở lại', en: 'Reason for reopening' },
  'minutes.reopenConfirm': { vi: 'Mở lại biên bản', en: 'Reopen the minutes' },
  'minutes.reopened': { vi: 'Biên bản được mở lại lúc {at} bởi {by}. Lý do: {reason}', en: 'Minutes reopened {at} by {by}. Reason: {reason}' },
};

const listeners = new Set();
let current = readStoredLanguage();

function readStoredLanguage() {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return LANGUAGES.includes(stored) ? stored : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

export function getLanguage() {
  return current;
}

export function getLocale() {
  return LOCALES[current];
}

export function setLanguage(language) {
  if (!LANGUAGES.includes(language) || language === current) return;
  current = language;
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private browsing may refuse storage; the choice then lasts for this page only.
  }
  translatePage();
  window.dispatchEvent(new CustomEvent(CHANGE_EVENT, { detail: { language } }));
}

export function onLanguageChange(callback) {
  const handler = () => callback(current);
  window.addEventListener(CHANGE_EVENT, handler);
  return () => window.removeEventListener(CHANGE_EVENT, handler);
}

export function t(key, params = {}) {
  const entry = CATALOG[key];
  if (!entry) {
    console.warn(`i18n: no message "${key}"`);
    return key;
  }
  const template = entry[current] ?? entry[DEFAULT_LANGUAGE];
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

// The label of a value the server sends (a status, a kind); an unknown value shows as itself.
export function labelFor(prefix, value) {
  const key = `${prefix}.${value}`;
  return key in CATALOG ? t(key) : String(value);
}

export function formatNumber(value, options = {}) {
  return new Intl.NumberFormat(getLocale(), options).format(value);
}

const DATE_TIME = {
  weekday: 'long',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
};

// "07:30 Thứ Sáu, 18/12/2026" in the council's time zone, wherever the device is.
export function formatDateTime(value, { timeZone = 'Asia/Ho_Chi_Minh', ...options } = {}) {
  const date = value instanceof Date ? value : new Date(value);
  const style = Object.keys(options).length ? options : DATE_TIME;
  return new Intl.DateTimeFormat(getLocale(), { timeZone, ...style }).format(date);
}

// Static text in the HTML carries its key (data-i18n="key"), so the page reads in Vietnamese before any script.
export function translatePage(root = document) {
  document.documentElement.lang = current;
  for (const element of root.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
}

export function languageSwitch() {
  const buttons = LANGUAGES.map((language) =>
    h('button', {
      type: 'button',
      class: 'language-option',
      text: t(`language.${language}`),
      lang: language,
      'aria-pressed': String(language === current),
      data: { language },
      on: { click: () => setLanguage(language) },
    }),
  );
  const group = h('div', { class: 'language-switch', role: 'group', 'aria-label': t('language.label') }, buttons);
  onLanguageChange((language) => {
    group.setAttribute('aria-label', t('language.label'));
    for (const button of buttons) button.setAttribute('aria-pressed', String(button.dataset.language === language));
  });
  return group;
}
