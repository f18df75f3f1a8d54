"""登录 Sign in."""

from dashboard.shell import render_sign_in_page

render_sign_in_page()
