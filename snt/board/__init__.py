"""The board's overview across the parts of the domain (the admin dashboard's figures)."""
