package mamori

import "time"

// Japan is the time zone a day is judged in: mamori's users are Japanese
// government bodies, whose due dates, expiries and reference dates are
// days in Japan, which keeps UTC+9 all year. A server's own zone (often
// UTC) would put the day back for nine hours of every one.
var Japan = time.FixedZone("JST", 9*60*60)
