#pragma once
// SQL fragments the repositories share.

// POCO returns TIMESTAMPTZ as a naive DateTime without fractions, so timestamps are rendered as
// ISO 8601 UTC text in SQL: ISO_UTC("created_at").
#define ISO_UTC(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
