"""数据填报 Data submission (§九): templates, a checked upload with every problem listed and a preview of what
would be written, then the import in one transaction; the import history. Same code path as the CLI."""

import pandas as pd
import streamlit as st

from dashboard import data, tables, ui
from dashboard.shell import render_shell
from data_access.feed import REASONS
from data_access.ingest import load
from data_access.ingest.kinds import KINDS
from data_access.ingest.parse import MAX_BYTES
from data_access.ingest.templates import template_bytes

ctx = render_shell("upload")
st.title(ctx.t("up.heading"))
reporter = ctx.user.role == "institution_reporter"
institution_id = ctx.user.institution_id if reporter else None
kinds = [k for k in KINDS if not (reporter and KINDS[k].owner_column is None)]  # meter data comes from the platform

kind = st.selectbox(ctx.t("up.kind"), kinds, key="up_kind", bind="query-params", format_func=lambda k: KINDS[k].zh if ctx.lang == "zh" else KINDS[k].en)
st.download_button(ctx.t("up.template"), template_bytes(kind), file_name=f"{kind}-template.xlsx", key="up_template",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
# Streamlit words the drop zone in English ("Upload", "60MB per file"): say it in the user's language, with the
# import's own 40 MB limit (a larger file gets the import's clear refusal).
st.markdown(f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{font-size: 0;}}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{content: "{ctx.t('up.button')}"; font-size: 14px;}}
[data-testid="stFileUploaderDropzoneInstructions"] span {{font-size: 0;}}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{content: "{ctx.t('up.limit', mb=MAX_BYTES // 2**20)}"; font-size: 14px;}}
</style>""", unsafe_allow_html=True)
file = st.file_uploader(ctx.t("up.file"), type=["xlsx", "csv"], key="up_file",
                        on_change=lambda: st.session_state.pop("up_imported", None))  # a file chosen again is checked again
if "up_flash" in st.session_state:
    st.success(st.session_state.pop("up_flash"))
imported = st.session_state.get("up_imported")  # (kind, file name, size) of the file just imported
if file is not None and imported == (kind, file.name, file.size):
    st.caption(ctx.t("up.imported_already"))  # its preview would now say "0 new": the file is in, shown in the log below
elif file is not None:
    content = file.getvalue()
    preview = data.upload_preview(st.session_state, ctx.url, kind, content, file.name, actor=ctx.user.username,
                                  institution_id=institution_id, version=ctx.version)
    if not preview.ok:
        st.error(ctx.t("up.refused", n=len(preview.problems), file=file.name))
        st.table(pd.DataFrame([{ctx.t("up.col.sheet"): p.sheet, ctx.t("up.col.row"): p.row or "—", ctx.t("up.col.column"): p.column or "—",
                                ctx.t("up.col.value"): p.value or "", ctx.t("up.col.rule"): p.zh if ctx.lang == "zh" else p.en}
                               for p in preview.problems[:200]]).set_index(ctx.t("up.col.row")))  # plain text: readable, printable
    else:
        st.info(ctx.t("up.preview", rows=preview.rows, added=preview.added, changed=preview.changed, unchanged=preview.unchanged))
        if preview.changes:
            st.markdown(f"**{ctx.t('up.changes')}**")
            ui.table_with_downloads(pd.DataFrame(preview.changes), hide_index=True, key="up_changes")
        ui.table_with_downloads(tables.upload_preview_table(preview.preview, kind, ctx.lang), hide_index=True, key="up_preview")
        if st.button(ctx.t("up.confirm"), key="up_confirm", type="primary", disabled=not (preview.added or preview.changed)):
            result = data.run_import(ctx.url, kind, content, file.name, actor=ctx.user.username, institution_id=institution_id)
            if result.ok:
                st.session_state["up_flash"] = ctx.t("up.done", added=result.added, changed=result.changed, id=result.upload_id)
                st.session_state["up_imported"] = (kind, file.name, file.size)
                st.rerun()
            st.error(ctx.t("up.refused", n=len(result.problems), file=file.name))

history = data.read(ctx.url, load.load_uploads, institution_id=institution_id)
if not reporter:  # the platform feed's quarantine: lines that were not loaded, and why
    rejected = data.feed_rejections(ctx.url, ctx.version)
    ui.render_table_section(ctx.t("up.feed_rejected"), rejected.assign(
        reason=rejected["reason"].map(lambda r: REASONS.get(r, (r, r))[0 if ctx.lang == "zh" else 1])).rename(columns={
        "at": ctx.t("rk.when"), "file_name": ctx.t("up.col.file"), "line_no": ctx.t("up.col.row"), "reason": ctx.t("up.col.rule"),
        "raw": ctx.t("up.feed_line")}), empty_text=ctx.t("up.feed_none"), key="up_feed_rejected")
ui.render_table_section(ctx.t("up.history"), tables.upload_history_table(history, ctx.lang), empty_text=ctx.t("up.no_history"),
                        key="up_history")
