"""用户与权限 Users and roles (admin only): create accounts, reset passwords, change roles."""

import streamlit as st

from dashboard import data, i18n, ui
from dashboard.shell import render_shell
from dashboard.tables import users_table
from data_access import auth
from data_access.taxonomy import ROLES

ctx = render_shell("users")
st.title(ctx.t("users.heading"))
engine = data.get_engine(ctx.url)
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
        with engine.begin() as conn:
            action(conn, actor=ctx.user.username, **fields)
    except auth.AccountError as exc:
        st.error(ctx.t("auth.account_error", reason=str(exc)))
    else:
        st.session_state["users_flash"] = ctx.t(done_key, username=fields["username"])
        st.rerun()  # so the list above shows the change


if "users_flash" in st.session_state:
    st.success(st.session_state.pop("users_flash"))
with engine.connect() as conn:
    users = auth.list_users(conn)
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
