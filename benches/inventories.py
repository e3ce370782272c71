"""Turns gen.py's app inventory CSV into the exports of other tools, row for
row, so that each format is timed on the same apps and devices:

    python3 benches/inventories.py APPS.csv OUT_PREFIX

- OUT_PREFIX-jamf.csv: a Jamf Pro advanced computer search (Computer Name,
  Application Title as the bundle folder `Name.app`, Application Version,
  Application Bundle ID);
- OUT_PREFIX-intune.csv: Intune's per-device "Discovered apps" raw data
  (AppInvRawData, every cell quoted, as the Graph export writes it);
- OUT_PREFIX-osquery.json: `osqueryi --json "select * from programs"`, one
  array of string-valued rows with keys in alphabetical order;
- OUT_PREFIX-osqueryd.log: an osqueryd result log, one snapshot line of the
  `programs` query per device.

Prints the true hits of each (rows whose app is banned, counted here from the
names and publishers in banned-apps.csv beside APPS.csv): name and publisher
for every export but Jamf, which has no publisher column (name only).
"""
import csv
import hashlib
import json
import os
import sys
import uuid

apps_csv, prefix = sys.argv[1:]
banned = list(csv.DictReader(open(os.path.join(os.path.dirname(apps_csv), "banned-apps.csv"))))
pairs = {(b["name"].lower(), b["publisher"].lower()) for b in banned}
names = {b["name"].lower() for b in banned}


def slug(text):
    return "".join(c for c in text.lower() if c.isalnum()) or "app"


def rows():
    with open(apps_csv, newline="") as f:
        yield from csv.DictReader(f)


def device_rows():
    """(device, [rows]) in file order."""
    device, group = None, []
    for row in rows():
        if row["device"] != device and group:
            yield device, group
            group = []
        device = row["device"]
        group.append(row)
    if group:
        yield device, group


def program(row):
    return {
        "identifying_number": "",
        "install_date": "20261101",
        "install_location": f"C:\\Program Files\\{row['app_name']}",
        "install_source": "",
        "language": "",
        "name": row["app_name"],
        "publisher": row["publisher"],
        "uninstall_string": "",
        "version": row["version"],
    }


def write(path, fill):
    with open(path + ".tmp", "w", newline="") as f:
        fill(f)
    os.replace(path + ".tmp", path)


def jamf(f):
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["Computer Name", "Application Title", "Application Version", "Application Bundle ID"])
    for row in rows():
        name = row["app_name"]
        w.writerow([row["device"], name + ".app", row["version"], f"com.{slug(row['publisher'])}.{slug(name)}"])


def intune(f):
    w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(["ApplicationKey", "ApplicationName", "ApplicationPublisher", "ApplicationShortVersion",
                "ApplicationVersion", "DeviceId", "DeviceName", "EmailAddress", "OSDescription", "OSVersion",
                "Platform", "UserId", "UserName"])
    for row in rows():
        key = hashlib.md5(f"{row['app_name']}|{row['publisher']}|{row['version']}".encode()).hexdigest()
        device = str(uuid.uuid5(uuid.NAMESPACE_DNS, row["device"]))
        user = row["device"].lower().replace("pc-", "user")
        w.writerow([key, row["app_name"], row["publisher"], row["version"], row["version"], device,
                    row["device"], f"{user}@agency.example", row["platform"], "10.0.22631", row["platform"],
                    str(uuid.uuid5(uuid.NAMESPACE_URL, user)), user])


def osquery(f):
    f.write("[\n")
    first = True
    for row in rows():
        f.write(("" if first else ",\n") + "  " + json.dumps(program(row), ensure_ascii=False))
        first = False
    f.write("\n]\n")


def osqueryd(f):
    for n, (device, group) in enumerate(device_rows()):
        line = {"name": "pack/inventory/programs", "hostIdentifier": device,
                "calendarTime": "Sun Dec  6 09:00:00 2026 UTC", "unixTime": 1796547600 + n,
                "epoch": 0, "counter": 0, "numerics": False, "snapshot": [program(r) for r in group]}
        f.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")


for suffix, fill in (("jamf.csv", jamf), ("intune.csv", intune), ("osquery.json", osquery),
                     ("osqueryd.log", osqueryd)):
    path = f"{prefix}-{suffix}"
    if not os.path.exists(path):
        write(path, fill)

by_pair = sum((r["app_name"].lower(), r["publisher"].lower()) in pairs for r in rows())
by_name = sum(r["app_name"].lower() in names for r in rows())
print(f"true hits: {by_pair} rows by name and publisher, {by_name} by name alone (Jamf)")
