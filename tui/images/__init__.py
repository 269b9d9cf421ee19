"""Article pictures: fetched once an article is opened, decoded under caps, cached on disk."""
