"""After the session: the archive job (one MP4 with chapters), the minutes (biên bản) drafted from the record,
staff review and signature, and the public archive."""
