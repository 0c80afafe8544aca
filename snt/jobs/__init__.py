"""Long operations outside the request, on a Huey task queue (README «Фоновые задачи»).

`records` keeps the Job rows (state, progress, report, result file); `kinds` holds the work of
each kind — the debtors' receipts, the month's SMS and emails, a confirmed upload, a general
meeting's notice — built from the
same service functions as the shell commands; `queue` puts jobs on Huey (SQLite storage under
instance/ by default, Redis with TASK_QUEUE_URL) and runs the worker.
"""
