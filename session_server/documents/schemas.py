"""Bodies of the document, page, search and note routes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from session_server.auth.schemas import Strict
from session_server.db.models import Classification, Document, DocumentKind, DocumentVersion, PageNote
from session_server.inputs import Id

CLASSIFICATION_LABELS = {
    Classification.PUBLIC: ("Công khai", "Public"),
    Classification.INTERNAL: ("Nội bộ (đại biểu, văn phòng)", "Internal (delegates and staff)"),
    Classification.RESTRICTED: ("Hạn chế (xem có dấu tên, không tải về)", "Restricted (watermarked, no download)"),
}
KIND_LABELS = {
    DocumentKind.SUBMISSION: ("Tờ trình", "Submission"),
    DocumentKind.REPORT: ("Báo cáo", "Report"),
    DocumentKind.REVIEW_REPORT: ("Báo cáo thẩm tra", "Review report"),
    DocumentKind.DRAFT_RESOLUTION: ("Dự thảo nghị quyết", "Draft resolution"),
    DocumentKind.OTHER: ("Tài liệu khác", "Other"),
}


class DocumentForm(Strict):
    """The text fields of the upload form, beside its `file`."""

    title: str | None = Field(None, min_length=1, max_length=500)
    kind: DocumentKind = DocumentKind.OTHER
    classification: Classification = Classification.INTERNAL
    agenda_item_id: Id | None = None
    not_state_secret: bool = False


class VersionForm(Strict):
    not_state_secret: bool = False


class DocumentPatch(Strict):
    title: str | None = Field(None, min_length=1, max_length=500)
    kind: DocumentKind | None = None
    classification: Classification | None = None
    agenda_item_id: Id | None = None


class DocumentOut(BaseModel):
    id: int
    session_id: int
    agenda_item_id: int | None
    title: str
    kind: DocumentKind
    classification: Classification
    version: int
    page_count: int
    file_name: str
    size_bytes: int
    downloadable: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, document: Document, version: DocumentVersion) -> DocumentOut:
        return cls(
            id=document.id,
            session_id=document.session_id,
            agenda_item_id=document.agenda_item_id,
            title=document.title,
            kind=document.kind,
            classification=document.classification,
            version=document.version,
            page_count=document.page_count,
            file_name=version.file_name,
            size_bytes=version.size_bytes,
            downloadable=document.classification is not Classification.RESTRICTED,
            created_at=document.created_at,
            updated_at=document.updated_at,
        )


class OutlineEntry(BaseModel):
    level: int
    title: str
    page: int


class VersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    file_name: str
    size_bytes: int
    sha256: str
    page_count: int
    uploaded_at: datetime


class DocumentDetailOut(DocumentOut):
    outline: list[OutlineEntry]
    versions: list[VersionOut]


class PublicDocumentOut(BaseModel):
    id: int
    agenda_item_id: int | None
    title: str
    kind: DocumentKind
    page_count: int
    file_name: str
    size_bytes: int

    @classmethod
    def of(cls, document: Document, version: DocumentVersion) -> PublicDocumentOut:
        return cls(
            id=document.id,
            agenda_item_id=document.agenda_item_id,
            title=document.title,
            kind=document.kind,
            page_count=document.page_count,
            file_name=version.file_name,
            size_bytes=version.size_bytes,
        )


class Label(BaseModel):
    value: str
    vi: str
    en: str


class UploadRulesOut(BaseModel):
    state_secret_notice_vi: str
    state_secret_notice_en: str
    media_type: str
    max_upload_bytes: int
    page_widths: list[int]
    classifications: list[Label]
    kinds: list[Label]


class WordBox(BaseModel):
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


class PageTextOut(BaseModel):
    document_id: int
    version: int
    page: int
    text: str
    width: float | None = None
    height: float | None = None
    words: list[WordBox] | None = None


class SearchHitOut(BaseModel):
    document_id: int
    title: str
    classification: Classification
    session_id: int
    session_title: str
    page: int
    snippet: str
    highlights: list[tuple[int, int]]


class SearchOut(BaseModel):
    query: str
    hits: list[SearchHitOut]


class Stroke(Strict):
    """One pen stroke; points are fractions of the page's width and height, so they fit any rendering."""

    color: str = Field("#d32f2f", pattern=r"^#[0-9a-fA-F]{6}$")
    width: float = Field(2.0, gt=0, le=50)
    points: list[tuple[float, float]] = Field(min_length=1, max_length=5000)

    @field_validator("points")
    @classmethod
    def _on_the_page(cls, points: list[tuple[float, float]]) -> list[tuple[float, float]]:
        if any(not (0 <= x <= 1 and 0 <= y <= 1) for x, y in points):
            raise ValueError("points are fractions of the page, from 0 to 1")
        return points


class NoteIn(Strict):
    page: Id
    text: str = Field("", max_length=10_000)
    ink: list[Stroke] = Field(default_factory=list, max_length=500)


class NotePatch(Strict):
    text: str | None = Field(None, max_length=10_000)
    ink: list[Stroke] | None = Field(None, max_length=500)


class NoteOut(BaseModel):
    id: int
    session_id: int
    document_id: int
    page: int
    version: int
    text: str
    ink: list[Stroke]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, note: PageNote) -> NoteOut:
        return cls(
            id=note.id,
            session_id=note.session_id,
            document_id=note.document_id,
            page=note.page,
            version=note.version,
            text=note.text,
            ink=[Stroke.model_validate(stroke) for stroke in note.ink],
            created_at=note.created_at,
            updated_at=note.updated_at,
        )
