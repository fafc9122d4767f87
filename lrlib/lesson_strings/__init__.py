"""Display strings of the lessons, one module per lesson (see ``lrlib.i18n``)."""
