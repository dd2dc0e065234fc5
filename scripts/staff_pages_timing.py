# Times staff pages over HTTP, the first request and the median and maximum of five more:
#   python3 scripts/staff_pages_timing.py http://127.0.0.1:18120 "/beheer/p/demo/verhalen?zoek=wachten" …
# Logs in as m@x.nl with the password pw-lang-genoeg-123 (create that account first with
# `vertelpunt user create --admin --name M --password-stdin m@x.nl`).
import sys, time, re, http.cookiejar, urllib.request, urllib.parse
base = sys.argv[1]
jar = http.cookiejar.CookieJar()
op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
page = op.open(base + "/beheer/inloggen").read().decode()
csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
op.open(base + "/beheer/inloggen", urllib.parse.urlencode({"csrf": csrf, "terug": "", "email": "m@x.nl", "wachtwoord": "pw-lang-genoeg-123"}).encode()).read()
urls = sys.argv[2:]
for u in urls:
    times = []
    for i in range(6):
        t = time.perf_counter()
        # Downloads (PDF, zip) are bytes; pages are text.
        body = op.open(base + u).read().decode(errors="replace")
        times.append((time.perf_counter() - t) * 1000)
    warm = sorted(times[1:])
    about = "ongeveer" in body.lower() or "geschat" in body
    print(f"{u}\tfirst {times[0]:.0f} ms\tmedian {warm[len(warm)//2]:.0f} ms\tmax {warm[-1]:.0f} ms\t{'estimated' if about else 'exact'}")
