"""`make bench`: the portal served as in production and loaded from a second process.

run.py drives it; prepare.py and explain.py run inside Django on a bench database;
stock_admin.py is the untuned admin the staff list is compared with.
"""
