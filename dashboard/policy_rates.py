"""Rates of the structural monetary-policy tools by date (domain/facts.md §3), as data for the policy-tool page."""

import pandas as pd

RATES = pd.DataFrame([
    # tool, from, rate %, source
    ("carbon_reduction_tool", "2021-11-08", 1.75, "http://www.wumasheying.com/news/zhxw/2021/1109/206397.shtml"),
    ("carbon_reduction_tool", "2025-05-07", 1.50, "https://www.forexbnb.com/zh-hant/news/fintech/22944.html"),
    ("carbon_reduction_tool", "2026-01-19", 1.25, "https://udn.com/news/story/7333/9268549"),
    ("sci_tech_relending", "2024-04-07", 1.75, "https://cn.technode.com/post/2024-04-07/pbc-scientific-innovation"),
    ("sci_tech_relending", "2025-05-07", 1.50, "https://www.forexbnb.com/zh-hant/news/fintech/22944.html"),
    ("sci_tech_relending", "2026-01-15", 1.25, "https://cnsonews.com.cn/news/187722.html"),
], columns=["tool", "from", "rate", "source"])
