"""The board's edits of public content: announcements and pages. Every change is audited."""

from sqlalchemy import select

from snt import audit
from snt.database import writes
from snt.extensions import db
from snt.models import Account, Announcement, Page, utcnow
from snt.public.services import PAGE_TITLES, get_page


def all_announcements() -> list[Announcement]:
    """Drafts first, then published ones, newest first (the admin list)."""
    return list(
        db.session.scalars(
            select(Announcement).order_by(
                Announcement.published_at.is_not(None),
                Announcement.published_at.desc(),
                Announcement.id.desc(),
            )
        )
    )


@writes
def save_announcement(
    item: Announcement | None,
    title: str,
    body: str,
    is_public: bool,
    pinned: bool,
    published: bool,
    by: Account | None,
) -> Announcement:
    """Create (item None) or edit an announcement. Publishing stamps the date once; unpublishing
    turns it back into a draft."""
    created = item is None
    if item is None:
        item = Announcement()
        db.session.add(item)
    was_published = item.published_at is not None
    item.title, item.body = title.strip(), body.strip()
    item.is_public, item.pinned = is_public, pinned
    if published and not was_published:
        item.published_at = utcnow()
    elif not published:
        item.published_at = None
    db.session.flush()
    audit.record("announcement.create" if created else "announcement.edit", by, item, label=item.title,
                 details=_describe(item))  # fmt: skip
    if published != was_published and not created:
        audit.record(
            "announcement.publish" if published else "announcement.unpublish", by, item, label=item.title
        )
    return item


def _describe(item: Announcement) -> str:
    parts = ["опубликовано" if item.published_at else "черновик"]
    parts.append("для всех" if item.is_public else "только для членов товарищества")
    if item.pinned:
        parts.append("закреплено")
    return ", ".join(parts)


@writes
def delete_announcement(item: Announcement, by: Account | None) -> None:
    audit.record("announcement.delete", by, item, label=item.title, details=_describe(item))
    db.session.delete(item)


@writes
def save_page(slug: str, body: str, by: Account | None) -> Page:
    """The text of one of the menu's pages (PAGE_TITLES), created on its first edit."""
    if slug not in PAGE_TITLES:
        raise KeyError(slug)
    page = get_page(slug)
    if page is None:
        page = Page(slug=slug, title=PAGE_TITLES[slug])
        db.session.add(page)
    page.body = body.strip()
    db.session.flush()
    audit.record("page.edit", by, page, label=PAGE_TITLES[slug], details=f"{len(page.body)} знаков")
    return page
