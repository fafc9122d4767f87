"""Display strings of the lessons, one module per lesson (see ``lrcourse.i18n``)."""
