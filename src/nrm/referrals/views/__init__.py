"""The referral pages: from a case (views.cases), an organisation's inbox and one referral
(views.inbox), and a country's response deadlines (views.deadlines)."""
