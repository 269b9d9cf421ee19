from datetime import UTC, datetime, timedelta

from tui.dates import WIDTH, short_date

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def test_recent_dates_are_relative_in_both_languages():
    assert short_date(NOW - timedelta(minutes=5), NOW, "fr") == "il y a 5m"
    assert short_date(NOW - timedelta(hours=2), NOW, "fr") == "il y a 2 h"
    assert short_date(NOW - timedelta(hours=2), NOW, "en") == "2 h ago"
    assert short_date(NOW - timedelta(hours=20), NOW, "fr") == "hier"
    assert short_date(NOW - timedelta(hours=20), NOW, "en") == "yesterday"


def test_older_dates_are_day_and_month_then_numeric():
    assert short_date(datetime(2024, 2, 8, 14, tzinfo=UTC), NOW, "fr") == "8 févr."
    assert short_date(datetime(2024, 2, 8, 14, tzinfo=UTC), NOW, "en") == "Feb 8"
    assert short_date(datetime(2021, 12, 16, 15, tzinfo=UTC), NOW, "fr") == "16/12/21"
    assert short_date(datetime(2021, 12, 16, 15, tzinfo=UTC), NOW, "en") == "2021-12-16"


def test_every_form_fits_the_column():
    for hours in range(0, 24 * 800, 7):
        for language in ("fr", "en"):
            assert len(short_date(NOW - timedelta(hours=hours), NOW, language)) <= WIDTH
    # A date in the future (a feed's clock is wrong) never breaks the column either.
    assert len(short_date(NOW + timedelta(days=3), NOW, "fr")) <= WIDTH
