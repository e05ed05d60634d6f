"""Sizes and places of Decree 30/2020/NĐ-CP (Appendix I) that the PDF and the Word layouts share, in points.

A4; margins top and bottom 20 mm, left 30 mm, right 15 mm (the decree allows 20–25, 20–25, 30–35, 15–20).
Agency name top left in bold capitals with a short rule under it, the number under that; national name (12–13 pt
bold capitals) and motto (13–14 pt bold) top right with a rule as long as the motto, the place and date in italics
under them; the kind and summary centred in bold with a rule under the summary; the body at 13–14 pt, justified,
first lines indented 1–1.27 cm, at least 6 pt between paragraphs; page numbers centred in the top margin from page 2;
signers' titles in bold capitals, their names in bold under the room to sign.
"""

from __future__ import annotations

MM = 72 / 25.4

PAGE_WIDTH = 210 * MM
PAGE_HEIGHT = 297 * MM
TOP = 20 * MM
BOTTOM = 20 * MM
LEFT = 30 * MM
RIGHT = 15 * MM
BODY_WIDTH = PAGE_WIDTH - LEFT - RIGHT

AGENCY_WIDTH = 68 * MM
"""The left header column (agency, number); the national name and the date line take the rest."""
NATIONAL_WIDTH = BODY_WIDTH - AGENCY_WIDTH

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DRAFT_MARK = "DỰ THẢO"

NATIONAL_SIZE = 13.0
NATIONAL_MIN_SIZE = 12.0
MOTTO_SIZE = 14.0
AGENCY_SIZE = 13.0
AGENCY_MIN_SIZE = 12.0
NUMBER_SIZE = 13.0
DATE_SIZE = 14.0
KIND_SIZE = 14.0
SUMMARY_SIZE = 14.0
BODY_SIZE = 14.0
SMALL_SIZE = 12.0
TABLE_SIZE = 12.0
SIGNER_SIZE = 14.0
RECIPIENTS_LABEL_SIZE = 12.0
RECIPIENTS_SIZE = 11.0
PAGE_NUMBER_SIZE = 13.0
DRAFT_SIZE = 13.0

LINE = 1.15
"""Line height as a multiple of the size: Word's single spacing for Times New Roman."""
BODY_LINE = 1.25
INDENT = 10 * MM
PARAGRAPH_AFTER = 6.0
RULE_SHARE = 0.4
"""A rule under the agency name or the summary runs 1/3 to 1/2 of the line above it."""
RULE_WIDTH = 0.6
SIGNING_ROOM = 28 * MM
"""The blank between a signer's title and name, where the hand (or the digital signature's stamp) goes."""
PAGE_NUMBER_BASELINE = 13 * MM
DRAFT_BOX_TOP = 6 * MM
