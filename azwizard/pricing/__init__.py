"""Prices for the region the user picked: the Azure Retail Prices API (:mod:`.client`, :mod:`.fetch`),
kept on disk with the date fetched (:mod:`.store`), the dated table as the marked last fallback
(:mod:`.book`); and what each run has actually cost so far (:mod:`.spend`, the Cost Management Query API).

Importing this package loads no Azure SDK module.
"""

from .book import PriceBook, table_book
from .store import currency_setting, price_book

__all__ = ["PriceBook", "currency_setting", "price_book", "table_book"]
