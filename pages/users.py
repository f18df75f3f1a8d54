"""用户与权限 Users and roles (admin only): create accounts, reset passwords, change roles; display links for the big
screen."""

import streamlit as st

from dashboard import data, i18n, tables, ui
from dashboard.shell import render_shell
from dashboard.tables import users_table
from data_access import auth, display_store
from data_access.taxonomy import ROLES

ctx = render_shell("users")
st.title(ctx.t("users.heading"))
institutions = data.institutions(ctx.url, ctx.version)
inst_ids = [None] + institutions["id"].tolist()
inst_name = dict(zip(institutions["id"], institutions["name"]))


def role_label(r):
    return i18n.label("role", r, ctx.lang)


def inst_label(i):
    return ctx.t("users.no_institution") if i is None else inst_name[i]


def run(action, done_key, **fields):
    """Carry out one account change in its own transaction; show the outcome."""
    try:
        data.write(ctx.url, action, actor=ctx.user.username, **fields)
    except auth.AccountError as exc:
        st.error(ctx.t("auth.account_error", reason=ctx.t(f"auth.err.{exc.code}", **exc.params)))
    else:
        st.session_state["users_flash"] = ctx.t(done_key, username=fields["username"])
        st.rerun()  # so the list above shows the change


if "users_flash" in st.session_state:
    st.success(st.session_state.pop("users_flash"))
users = data.read(ctx.url, auth.list_users)
st.subheader(ctx.t("users.list", n=len(users)))
ui.table_with_downloads(users_table(users, institutions, ctx.lang), hide_index=True, key="users_table")

usernames = [u["username"] for u in users]
create, reset, role = st.tabs([ctx.t("users.create"), ctx.t("users.reset"), ctx.t("users.role")])
with create, st.form("users_create", clear_on_submit=True):
    username = st.text_input(ctx.t("auth.username"), key="users_new_username")
    display_name = st.text_input(ctx.t("users.display_name"), key="users_new_display")
    new_role = st.selectbox(ctx.t("users.col.role"), ROLES, format_func=role_label, key="users_new_role")
    institution = st.selectbox(ctx.t("users.institution"), inst_ids, format_func=inst_label, key="users_new_inst")
    password = st.text_input(ctx.t("users.new_password"), type="password", key="users_new_password")
    if st.form_submit_button(ctx.t("users.save")):
        run(auth.create_user, "users.done_created", username=username, display_name=display_name, role=new_role,
            password=password, institution_id=institution)
with reset, st.form("users_reset", clear_on_submit=True):
    who = st.selectbox(ctx.t("auth.username"), usernames, key="users_reset_who")
    password = st.text_input(ctx.t("users.new_password"), type="password", key="users_reset_password")
    if st.form_submit_button(ctx.t("users.save")):
        run(auth.reset_password, "users.done_reset", username=who, password=password)
with role, st.form("users_role"):
    who = st.selectbox(ctx.t("auth.username"), usernames, key="users_role_who")
    changed_role = st.selectbox(ctx.t("users.col.role"), ROLES, format_func=role_label, key="users_role_role")
    institution = st.selectbox(ctx.t("users.institution"), inst_ids, format_func=inst_label, key="users_role_inst")
    active = st.checkbox(ctx.t("users.is_active"), value=True, key="users_role_active")
    if st.form_submit_button(ctx.t("users.save")):
        run(auth.set_role, "users.done_role", username=who, role=changed_role, institution_id=institution, is_active=active)

# Display links for the big screen (meeting-room PCs): named, read-only, one park, revocable; shown once.
st.subheader(ctx.t("scr.token.heading"))
st.caption(ctx.t("scr.token.intro"))
parks = data.parks(ctx.url, ctx.version)
park_names = dict(zip(parks["id"], parks["name_zh" if ctx.lang == "zh" else "name_en"]))
with st.form("scr_token_new", clear_on_submit=True):
    name = st.text_input(ctx.t("scr.token.name"), key="scr_token_name", max_chars=100)
    park = st.selectbox(ctx.t("app.park"), list(park_names), format_func=park_names.get, key="scr_token_park")
    if st.form_submit_button(ctx.t("scr.token.create")):
        try:
            token = data.write(ctx.url, display_store.create_token, name=name, park_id=int(park), actor=ctx.user.username)
        except display_store.DisplayTokenError as exc:
            st.error(ctx.t(f"scr.token.err.{exc.code}"))
        else:
            base = (st.context.url or "").split("?")[0].rsplit("/", 1)[0] if st.context.url else ""
            st.session_state["scr_token_link"] = f"{base}/?screen=1&token={token}"
if "scr_token_link" in st.session_state:
    st.success(ctx.t("scr.token.created"))
    st.code(st.session_state.pop("scr_token_link"), language=None)
tokens = data.read(ctx.url, display_store.list_tokens)
if tokens.empty:
    st.info(ctx.t("scr.token.none"))
else:
    ui.table_with_downloads(tables.display_tokens_table(tokens, ctx.lang), hide_index=True, key="scr_token_table")
    active = tokens[tokens["revoked_at"].isna()]
    if not active.empty:
        names = dict(zip(active["id"], active["name"]))
        with st.form("scr_token_revoke"):
            which = st.selectbox(ctx.t("scr.token.pick"), list(names), format_func=names.get, key="scr_token_which")
            if st.form_submit_button(ctx.t("scr.token.revoke")):
                data.write(ctx.url, display_store.revoke_token, token_id=int(which), actor=ctx.user.username)
                st.session_state["users_flash"] = ctx.t("scr.token.revoked", name=names[which])
                st.rerun()
