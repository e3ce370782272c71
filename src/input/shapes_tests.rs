//! Tests of the formats' shapes: real-shaped samples each format's shape
//! claims (and no earlier one does), and near misses no shape claims.
use super::*;

/// The first format, in table order, whose shape takes `text`: what
/// discovery makes of a file whose name says nothing.
fn shape_of(text: &str) -> Option<&'static str> {
    FORMATS
        .iter()
        .find(|f| f.shape.is_some_and(|shape| shape(text)))
        .map(|f| f.name)
}

/// The read formats whose sniffer takes `text` (a `.txt` name makes them
/// candidates, tried before any shape).
fn read_sniffers(text: &str) -> Vec<&'static str> {
    FORMATS
        .iter()
        .filter(|f| f.is_read() && f.sniff.is_some_and(|sniff| sniff(text)))
        .map(|f| f.name)
        .collect()
}

/// Samples shaped as the real tools write them, by format.
const SAMPLES: &[(&str, &[&str])] = &[
    (
        "app-csv",
        &[
            "ApplicationName,ApplicationPublisher,ApplicationVersion,DeviceName,Platform\n\
             Zoom Workplace,Zoom Video Communications,6.0.11,LAPTOP-01,Windows\n",
            "#TYPE Microsoft.PowerShell.Commands.Internal.Format\n\
             \"DisplayName\",\"DisplayVersion\",\"Publisher\"\n\
             \"7-Zip 23.01 (x64)\",\"23.01\",\"Igor Pavlov\"\n",
        ],
    ),
    // The user trial's `dpkg.txt`.
    (
        "dpkg-query",
        &[
            "adduser\t3.134\napt\t2.6.1\nbase-files\t12.4+deb12u5\nlibc6:amd64\t2.36-9+deb12u4\n\
             libgcc-s1:amd64\t12.2.0-14\ngit\t1:2.39.2-1.1\n",
            "adduser\t3.134\tinstall ok installed\nlibssl3:amd64\t3.0.11-1~deb12u2\tinstall ok installed\n\
             oldpkg\t1.0-1\tdeinstall ok config-files\n",
            "libc6:amd64\t2.36-9+deb12u4\tamd64\tii \nzlib1g:amd64\t1:1.2.13.dfsg-1\tamd64\tii \n\
             tzdata\t2024a-0+deb12u1\tall\trc \n",
        ],
    ),
    (
        "dpkg-list",
        &[
            "Desired=Unknown/Install/Remove/Purge/Hold\n\
             | Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n\
             |/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n\
             ||/ Name           Version      Architecture Description\n\
             +++-==============-============-============-=================================\n\
             ii  adduser        3.134        all          add and remove users and groups\n",
            "ii  adduser                3.134                 all          add and remove users and groups\n\
             ii  libc6:amd64            2.36-9+deb12u4        amd64        GNU C Library: Shared libraries\n\
             rc  oldpkg                 1.0-1                 amd64        an old package\n",
        ],
    ),
    (
        "dpkg-status",
        &[
            "Package: adduser\nStatus: install ok installed\nPriority: important\n\
           Section: admin\nVersion: 3.134\n\nPackage: apt\nStatus: install ok installed\n",
        ],
    ),
    (
        "rpm-qa",
        &[
            "bash-5.2.26-3.fc40.x86_64\nglibc-2.39-8.fc40.i686\npython3-libs-3.12.3-2.fc40.x86_64\n\
             tzdata-2024a-5.fc40.noarch\ngpg-pubkey-a15b79cc-63d04c2c\nperl-Carp-1.54-502.fc40.noarch\n",
            "bash\t(none)\t5.2.26\t3.fc40\tx86_64\nopenssl-libs\t1\t3.2.1\t2.fc40\tx86_64\n\
             gpg-pubkey\t(none)\ta15b79cc\t63d04c2c\t(none)\n",
        ],
    ),
    // The user trial's `packages.txt`.
    (
        "android-packages",
        &[
            "package:com.android.chrome\npackage:com.whatsapp\npackage:android\n\
             package:com.google.android.gms\n",
            "package:/data/app/~~Xy==/com.example.app-Ab==/base.apk=com.example.app versionCode:4021  installer=com.android.vending\r\n\
             package:/system/app/Bluetooth/Bluetooth.apk=com.android.bluetooth versionCode:34  installer=null\r\n",
            "package:com.example.app versionCode:4021\npackage:org.mozilla.firefox versionCode:2015 uid:10123\n",
        ],
    ),
    (
        "osquery-json",
        &[
            "[\n  {\"identifying_number\":\"\",\"install_date\":\"\",\"name\":\"Mozilla Firefox (x64 en-US)\",\
             \"publisher\":\"Mozilla\",\"version\":\"126.0\"},\n  {\"identifying_number\":\"\",\"install_date\":\"20240101\",\
             \"name\":\"7-Zip\",\"publisher\":\"Igor Pavlov\",\"version\":\"23.01\"}\n]\n",
            "[\n  {\n    \"bundle_identifier\": \"com.tinyspeck.slackmacgap\",\n    \"bundle_short_version\": \"4.38.125\",\n    \
             \"name\": \"Slack.app\"\n  }\n]\n",
            "{\"name\":\"pack_software_programs\",\"hostIdentifier\":\"pc-01\",\"calendarTime\":\"Mon May  1 10:00:00 2024 UTC\",\
             \"unixTime\":1714557600,\"epoch\":0,\"counter\":1,\"numerics\":false,\"columns\":{\"name\":\"Zoom\",\"version\":\"6.0.11\"},\
             \"action\":\"added\"}\n",
            // A snapshot line longer than the head: all there is of it.
            "{\"name\":\"pack/inventory/programs\",\"hostIdentifier\":\"PC-000001\",\"calendarTime\":\"Sun Dec  6 09:00:00 2026 UTC\",\
             \"snapshot\":[{\"name\":\"Mozilla Firefox\",\"publisher\":\"Mozilla\",\"version\":\"126.0\"},{\"name\":\"7-Zi",
        ],
    ),
    (
        "macos-apps",
        &[
            "{\n  \"SPApplicationsDataType\" : [\n    {\n      \"_name\" : \"Safari\",\n      \"obtained_from\" : \"apple\",\n      \
           \"path\" : \"/Applications/Safari.app\",\n      \"version\" : \"17.4\"\n    }\n  ]\n}\n",
        ],
    ),
    (
        "defender-api-page",
        &[
            "{\"@odata.context\":\"https://api.security.microsoft.com/api/$metadata#SoftwareInventoryByMachine\",\
             \"value\":[{\"id\":\"49126b_zoom_zoom_6.0.11\",\"deviceId\":\"49126b\",\"deviceName\":\"pc-01\",\
             \"osPlatform\":\"Windows11\",\"softwareVendor\":\"zoom\",\"softwareName\":\"zoom\",\
             \"softwareVersion\":\"6.0.11\",\"numberOfWeaknesses\":0}]}",
            "{\n  \"@odata.context\": \"https://api.security.microsoft.com/api/$metadata#SoftwareInventoryByMachine\",\n  \
             \"value\": [\n    {\n      \"id\": \"49126b_zoom_zoom_6.0.11\",\n      \"deviceId\": \"49126b\",\n      \
             \"softwareName\": \"zoom\",\n      \"softwareVersion\": \"6.0.11\"\n    }\n  ]\n}\n",
        ],
    ),
    (
        "defender-software",
        &[
            "{\"deviceId\":\"49126b\",\"deviceName\":\"pc-01\",\"osPlatform\":\"Windows11\",\"softwareVendor\":\"zoom\",\
           \"softwareName\":\"zoom\",\"softwareVersion\":\"6.0.11\",\"numberOfWeaknesses\":0}\n\
           {\"deviceId\":\"49126b\",\"deviceName\":\"pc-01\",\"osPlatform\":\"Windows11\",\"softwareVendor\":\"microsoft\",\
           \"softwareName\":\".net_framework\",\"softwareVersion\":\"4.8\",\"numberOfWeaknesses\":2}\n",
        ],
    ),
    // A proxy's CSV export and a SIEM search as TSV.
    (
        "endpoint-csv",
        &[
            "time,client,url\n2025-12-06T10:00:00Z,10.0.0.5,https://api.example.com/v1/chat\n\
             2025-12-06T10:00:05Z,10.0.0.7,www.example.org/\n",
            "timestamp\tsrc_ip\tdest_host\n2025-12-06 10:00:00\t10.0.0.5\tchat.example.com\n",
        ],
    ),
    // The user trial's `squid-access-20261205.log`.
    (
        "squid-access",
        &[
            "1733390000.123     45 10.0.0.5 TCP_TUNNEL/200 6054 CONNECT api.example.com:443 - HIER_DIRECT/1.2.3.4 -\n\
             1733390001.456    245 10.0.0.6 TCP_MISS/200 5120 GET http://example.org/a.js - HIER_DIRECT/203.0.113.7 application/javascript\n\
             1733390002.000      0 10.0.0.7 TCP_DENIED/403 3800 CONNECT blocked.example:443 alice HIER_NONE/- text/html\n",
        ],
    ),
    (
        "bind-query-log",
        &[
            "15-Jan-2024 10:22:01.123 queries: info: client @0x7f1c2c0a1b68 192.0.2.10#53124 (www.example.com): \
             query: www.example.com IN A +E(0)K (198.51.100.53)\n\
             15-Jan-2024 10:22:02.456 queries: info: client @0x7f1c2c0a1b68 2001:db8::5#40000 (example.org): \
             view internal: query: example.org IN AAAA -E(0)DC (2001:db8::53)\n",
            "client 10.0.0.1#5353: query: example.com IN A +\nclient 10.0.0.1#5354: query: example.net IN MX -\n",
            "client @0x7f3a9c001230 10.0.0.1#5353 (example.com): query: example.com IN A +E(0)K (10.0.0.2)\n",
        ],
    ),
    (
        "dnsmasq-log",
        &[
            "May  1 10:00:00 dnsmasq[633]: query[A] ads.example.net from 192.168.1.50\n\
             May  1 10:00:00 dnsmasq[633]: gravity blocked ads.example.net is 0.0.0.0\n\
             May  1 10:00:01 dnsmasq[633]: forwarded www.example.com to 1.1.1.1\n\
             May  1 10:00:01 dnsmasq[633]: reply www.example.com is 93.184.216.34\n",
            "Dec  5 03:00:00 dnsmasq[123]: 17 192.168.1.50/53124 query[AAAA] example.com from 192.168.1.50\n",
            // A Pi-hole that serves DHCP too, through syslog.
            "May  1 10:00:00 pi dnsmasq-dhcp[633]: DHCPREQUEST(eth0) 192.168.1.50 aa:bb:cc:dd:ee:ff\n\
             May  1 10:00:00 pi dnsmasq-dhcp[633]: DHCPACK(eth0) 192.168.1.50 aa:bb:cc:dd:ee:ff laptop\n\
             May  1 10:00:01 pi dnsmasq[633]: query[A] www.example.com from 192.168.1.50\n",
        ],
    ),
    (
        "zeek-log",
        &[
            "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n\
             #open\t2024-05-01-10-00-00\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\t\
             trans_id\trtt\tquery\tqclass\n#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\n\
             1714550400.123456\tCwXk3p1Qz8aB2mNd7\t192.0.2.20\t36844\t192.0.2.1\t53\tudp\t19671\t0.012\twww.example.com\t1\n",
            "{\"ts\":1714550400.123456,\"uid\":\"CwXk3p1Qz8aB2mNd7\",\"id.orig_h\":\"192.0.2.20\",\"id.orig_p\":36844,\
             \"id.resp_h\":\"192.0.2.1\",\"id.resp_p\":53,\"proto\":\"udp\",\"query\":\"www.example.com\",\"qtype_name\":\"A\"}\n\
             {\"ts\":1714550401.5,\"uid\":\"C1\",\"id.orig_h\":\"192.0.2.20\",\"id.orig_p\":443,\"id.resp_h\":\"203.0.113.7\",\
             \"id.resp_p\":443,\"version\":\"TLSv13\",\"cipher\":\"TLS_AES_128_GCM_SHA256\",\"server_name\":\"api.example.com\"}\n",
        ],
    ),
    (
        "suricata-eve",
        &[
            "{\"timestamp\":\"2024-05-01T10:00:00.000000+0000\",\"flow_id\":1,\"event_type\":\"dns\",\"src_ip\":\"192.0.2.20\",\
             \"dest_ip\":\"192.0.2.1\",\"proto\":\"UDP\",\"dns\":{\"version\":3,\"type\":\"request\",\"id\":7,\
             \"queries\":[{\"rrname\":\"www.example.com\",\"rrtype\":\"A\"}]}}\n\
             {\"timestamp\":\"2024-05-01T10:00:01.000000+0000\",\"event_type\":\"tls\",\"tls\":{\"sni\":\"api.example.com\"}}\n",
        ],
    ),
    (
        "windows-dns-log",
        &[
            "DNS Server log file creation at 5/1/2024 10:00:00 AM\nLog file wrap at 5/1/2024 10:00:00 AM\n\n\
             Message logging key (for packets - other items use a subset of these fields):\n",
            "5/1/2024 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Rcv 10.0.0.71       5b47   Q [0001   D   NOERROR] A      (3)www(7)example(3)com(0)\n\
             5/1/2024 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Snd 10.0.0.71       5b47 R Q [8081   DR  NOERROR] A      (3)www(7)example(3)com(0)\n",
        ],
    ),
    (
        "npm-lock",
        &[
            "{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \
           \"packages\": {\n    \"\": {\"name\": \"app\"}\n  }\n}\n",
        ],
    ),
    (
        "yarn-lock",
        &[
            "# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n\
             \"@babel/code-frame@^7.0.0\":\n  version \"7.24.2\"\n",
            "# This file is generated by running \"yarn install\" inside your project.\n\
             # Manual changes might be lost - proceed with caution!\n\n__metadata:\n  version: 8\n  cacheKey: 10c0\n\n\
             \"lodash@npm:^4.17.21\":\n  version: 4.17.21\n",
        ],
    ),
    (
        "bun-lock",
        &[
            "{\n  \"lockfileVersion\": 1,\n  \"workspaces\": {\n    \"\": {\n      \"name\": \"app\",\n    },\n  },\n}\n",
        ],
    ),
    (
        "pnpm-lock",
        &[
            "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n\nimporters:\n  .:\n",
            "lockfileVersion: 5.4\n\nspecifiers:\n  react: ^18.2.0\n",
        ],
    ),
    (
        "cargo-lock",
        &[
            "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n\n\
             [[package]]\nname = \"serde\"\nversion = \"1.0.210\"\n",
            "[[package]]\nname = \"serde\"\nversion = \"1.0.100\"\n\
             source = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
        ],
    ),
    (
        "uv-lock",
        &[
            "version = 1\nrevision = 3\nrequires-python = \">=3.12\"\n\n[[package]]\nname = \"idna\"\n\
           version = \"3.10\"\nsource = { registry = \"https://pypi.org/simple\" }\n",
        ],
    ),
    (
        "poetry-lock",
        &[
            "# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.\n\n\
             [[package]]\nname = \"idna\"\n",
            "[[package]]\nname = \"idna\"\nversion = \"3.7\"\ndescription = \"x\"\noptional = false\n\
             python-versions = \">=3.5\"\n",
        ],
    ),
    (
        "pipfile-lock",
        &[
            "{\n    \"_meta\": {\n        \"hash\": {\"sha256\": \"ab12\"},\n        \"pipfile-spec\": 6\n    },\n    \"default\": {}\n}\n",
        ],
    ),
    (
        "go-mod",
        &[
            "module github.com/acme/svc\n\ngo 1.22\n\nrequire (\n\tgithub.com/pkg/errors v0.9.1\n)\n",
            "// the service\nmodule example.com/x\n\nrequire golang.org/x/text v0.14.0\n",
        ],
    ),
    (
        "go-sum",
        &[
            "github.com/pkg/errors v0.9.1 h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=\n\
           github.com/pkg/errors v0.9.1/go.mod h1:bwawxfHBFNV+L2hUp1rHADufV3IMtnDRdf1r5NINEl0=\n",
        ],
    ),
    (
        "gradle-lock",
        &[
            "# This is a Gradle generated file for dependency locking.\n# Manual edits can break the build.\n\
             com.google.guava:guava:33.2.1-jre=compileClasspath,runtimeClasspath\nempty=annotationProcessor\n",
            "com.google.guava:guava:33.2.1-jre=compileClasspath\norg.slf4j:slf4j-api:2.0.13=runtimeClasspath\n",
        ],
    ),
    (
        "gemfile-lock",
        &[
            "GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.16.5-x86_64-linux)\n      racc (~> 1.4)\n",
        ],
    ),
    (
        "composer-lock",
        &[
            "{\n    \"_readme\": [\n        \"This file locks the dependencies of your project to a known state\"\n    ],\n    \
           \"content-hash\": \"ab12\",\n    \"packages\": []\n}\n",
        ],
    ),
    (
        "nuget-lock",
        &[
            "{\"version\":1,\"dependencies\":{\"net8.0\":{\"Newtonsoft.Json\":{\"type\":\"Direct\",\
           \"requested\":\"[13.0.3, )\",\"resolved\":\"13.0.3\",\"contentHash\":\"HrC5\"}}}}\n",
        ],
    ),
    (
        "cyclonedx",
        &[
            "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"version\":1,\"components\":[]}\n",
            "{\n  \"$schema\" : \"http://cyclonedx.org/schema/bom-1.5.schema.json\",\n  \"bomFormat\" : \"CycloneDX\",\n  \
             \"specVersion\" : \"1.5\"\n}\n",
        ],
    ),
    (
        "cyclonedx-xml",
        &[
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\" version=\"1\">\n",
        ],
    ),
    (
        "spdx",
        &[
            "{\"spdxVersion\":\"SPDX-2.3\",\"dataLicense\":\"CC0-1.0\",\"SPDXID\":\"SPDXRef-DOCUMENT\",\"name\":\"app\"}\n",
        ],
    ),
    (
        "spdx-tag-value",
        &[
            "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: app\n",
        ],
    ),
    (
        "spdx-yaml",
        &["spdxVersion: \"SPDX-2.3\"\ndataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nname: app\n"],
    ),
    (
        "swift-resolved",
        &[
            "{\n  \"pins\" : [\n    {\n      \"identity\" : \"swift-argument-parser\",\n      \"kind\" : \"remoteSourceControl\"\n    }\n  ],\n  \"version\" : 2\n}\n",
        ],
    ),
    (
        "cocoapods-lock",
        &["PODS:\n  - Alamofire (5.9.1)\n\nDEPENDENCIES:\n  - Alamofire\n"],
    ),
    (
        "pub-lock",
        &[
            "# Generated by pub\n# See https://dart.dev/tools/pub/glossary#lockfile\npackages:\n  args:\n",
        ],
    ),
    (
        "mix-lock",
        &[
            "%{\n  \"jason\": {:hex, :jason, \"1.4.1\", \"af1504e3\", [:mix], [], \"hexpm\", \"fbb01ecd\"},\n}\n",
        ],
    ),
];

/// Files no shape may claim: prose, code, config, the plain lines of the
/// formats banscan reads, and look-alikes.
const NEAR_MISSES: &[(&str, &str)] = &[
    (
        "Rust source quoting a plist",
        "//! Shapes.\nconst PLIST: &str = \"<plist><array><string>SPApplicationsDataType</string>\";\n",
    ),
    (
        "README",
        "# banscan\n\nChecks evidence against bans.\n\n## Usage\n\n    banscan scan .\n",
    ),
    (
        "prose with commas",
        "Name, version, and publisher are required.\nSee the manual for details.\n",
    ),
    (
        "Python",
        "import os\n\n\ndef main():\n    print(os.environ.get('HOME'))\n",
    ),
    (
        "YAML config",
        "name: build\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n",
    ),
    (
        "CSV of people",
        "name,email\nAda,ada@example.org\nBob,bob@example.org\n",
    ),
    (
        "requirements.txt",
        "requests==2.32.3\nflask>=3.0 ; python_version >= \"3.8\"\nurllib3\n",
    ),
    ("pip freeze", "certifi==2024.2.2\nidna==3.7\n"),
    (
        "endpoint list",
        "# allowed\napi.example.com\n*.example.org\nhttps://cdn.example.net/x\n203.0.113.0/24\n",
    ),
    (
        "hosts file",
        "127.0.0.1 localhost\n::1 localhost ip6-localhost\n203.0.113.9 intranet.example\n",
    ),
    ("Ansible inventory", "[web]\nweb1\nweb2\n"),
    (
        "Blocks.txt",
        "# Blocks-15.1.0.txt\n0000..007F; Basic Latin\n0080..00FF; Latin-1 Supplement\n",
    ),
    (
        "sources.list",
        "deb http://deb.debian.org/debian bookworm main\ndeb-src http://deb.debian.org/debian bookworm main\n",
    ),
    (
        "syslog",
        "May  1 10:00:00 host systemd[1]: Started Session 1.\nMay  1 10:00:01 host sshd[99]: Accepted key\n",
    ),
    (
        "nginx access.log",
        "192.0.2.1 - - [01/May/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/8.5.0\"\n",
    ),
    (
        "package.json",
        "{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n  \"dependencies\": {\"left-pad\": \"^1.3.0\"}\n}\n",
    ),
    (
        "JSON list of people",
        "[{\"name\":\"Ada\",\"email\":\"ada@example.org\"}]\n",
    ),
    (
        "Cargo.toml",
        "[package]\nname = \"banscan\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    ),
    (
        "pyproject.toml",
        "[project]\nname = \"svc\"\nversion = \"0.1.0\"\nrequires-python = \">=3.12\"\n",
    ),
    (
        "Fortran module",
        "module geometry\n  implicit none\ncontains\nend module geometry\n",
    ),
    ("Java properties", "package=com.example\nversion=1.0\n"),
    (
        "tab-separated notes",
        "Name\tNotes\nAda\tfirst programmer\n",
    ),
    ("empty", ""),
];

/// Each sample is claimed by its own format's shape and by no format
/// before it in table order.
#[test]
fn samples_are_recognised_by_their_shape() {
    for (format, samples) in SAMPLES {
        let spec = by_name(format).unwrap_or_else(|| panic!("no format {format}"));
        let shape = spec
            .shape
            .unwrap_or_else(|| panic!("{format} has no shape"));
        for (i, sample) in samples.iter().enumerate() {
            assert!(shape(sample), "{format} sample {i} is not recognised");
            assert_eq!(shape_of(sample), Some(*format), "{format} sample {i}");
        }
    }
}

/// A sample of a format banscan does not read is not taken by the sniffer
/// of one it does (a `.txt` makes those candidates first): the trial's
/// `dpkg.txt` and `packages.txt` were passed over so. (`rpm -qa` names,
/// which read as host names, and undated BIND lines, which read as pip
/// direct references `client @ URL`, were exceptions until `rpm-qa` and
/// `bind-query-log` were read: shapes are tried before sniffers.)
#[test]
fn samples_are_not_read_formats() {
    let known: [(&str, usize, &str); 0] = [];
    let mut taken = Vec::new();
    for (format, samples) in SAMPLES {
        if by_name(format).is_some_and(FormatSpec::is_read) {
            continue;
        }
        for (i, sample) in samples.iter().enumerate() {
            for sniffer in read_sniffers(sample) {
                taken.push((*format, i, sniffer));
            }
        }
    }
    assert_eq!(taken, known);
}

/// Prose, code, config and plain lists are no format's shape; the read
/// formats' sniffers still take their own files.
#[test]
fn near_misses_have_no_shape() {
    for (what, text) in NEAR_MISSES {
        assert_eq!(shape_of(text), None, "{what}");
    }
    let sniffed = |i: usize| read_sniffers(NEAR_MISSES[i].1);
    let index = |what: &str| NEAR_MISSES.iter().position(|(w, _)| *w == what).unwrap();
    assert_eq!(sniffed(index("requirements.txt")), ["requirements"]);
    assert_eq!(sniffed(index("pip freeze")), ["requirements"]);
    assert_eq!(sniffed(index("endpoint list")), ["endpoint-list"]);
    assert_eq!(sniffed(index("hosts file")), ["endpoint-list"]);
}

/// Among the read formats, the lockfiles, app-csv, the DNS and network
/// logs, Squid's log and endpoint tables have a shape: a plain list of
/// names or requirements is not distinctive, nor is a YAML or JSON
/// allowlist.
#[test]
fn read_formats_with_shapes() {
    let shaped: Vec<&str> = FORMATS
        .iter()
        .filter(|f| f.is_read() && f.shape.is_some())
        .map(|f| f.name)
        .collect();
    assert_eq!(
        shaped,
        [
            "cargo-lock",
            "npm-lock",
            "pnpm-lock",
            "yarn-lock",
            "uv-lock",
            "poetry-lock",
            "go-mod",
            "go-sum",
            "cyclonedx",
            "spdx",
            "pipfile-lock",
            "composer-lock",
            "gemfile-lock",
            "nuget-lock",
            "gradle-lock",
            "dpkg-query",
            "dpkg-status",
            "dpkg-list",
            "rpm-qa",
            "app-csv",
            "osquery-json",
            "fleet-software",
            "defender-api-page",
            "defender-software",
            "macos-apps",
            "android-packages",
            "zeek-log",
            "suricata-eve",
            "bind-query-log",
            "dnsmasq-log",
            "windows-dns-log",
            "squid-access",
            "endpoint-csv",
            "sha256sum"
        ]
    );
}

/// Lines are judged after a byte-order mark and with `\r\n` endings; a
/// head cut mid-file still fits; a few odd lines are tolerated, many not.
#[test]
fn line_shapes_tolerate_real_files() {
    let android = "\u{feff}package:com.a.b\r\npackage:com.c.d\r\n";
    assert_eq!(shape_of(android), Some("android-packages"));
    let mut mixed = "package:com.a.b\n".repeat(9);
    mixed.push_str("WARNING: linker: something\n");
    assert_eq!(shape_of(&mixed), Some("android-packages"));
    let half = "package:com.a.b\nnot a package line\n".repeat(5);
    assert_eq!(shape_of(&half), None);
}

#[test]
fn dns_wire_names() {
    use shapes::dns_wire_name;
    assert!(dns_wire_name("(3)www(7)example(3)com(0)"));
    assert!(!dns_wire_name("(0)"));
    assert!(!dns_wire_name("(3)ww(0)"));
    assert!(!dns_wire_name("www.example.com"));
    assert!(!dns_wire_name("(3)www(7)example(3)com"));
}

/// Rotated and dated log names are recognised: by a decisive name, or by
/// their content's shape (a `maybe` name such as `dns.log` or
/// `*squid*.log` only says which formats to expect). Compression
/// suffixes are dropped first, as discovery drops them.
#[test]
fn rotated_logs_are_recognised() {
    let sample = |format: &str, i: usize| SAMPLES.iter().find(|(f, _)| *f == format).unwrap().1[i];
    let files = [
        ("squid-access-20261205.log", "squid-access", 0),
        ("access.log.1", "squid-access", 0),
        ("access.log-20261205", "squid-access", 0),
        ("query.log.2", "bind-query-log", 0),
        ("queries.log-20261205.gz", "bind-query-log", 0),
        ("pihole.log.1", "dnsmasq-log", 0),
        ("dns.log.3.gz", "zeek-log", 0),
        ("dns.log", "zeek-log", 1),
        ("dns.log", "windows-dns-log", 1),
        ("eve.json.1", "suricata-eve", 0),
        ("osqueryd.results.log.2", "osquery-json", 2),
        // The trial's files, by content alone.
        ("dpkg.txt", "dpkg-query", 0),
        ("packages.txt", "android-packages", 0),
    ];
    for (name, format, i) in files {
        let text = sample(format, i);
        let stripped = name.strip_suffix(".gz").unwrap_or(name);
        let by_name: Vec<&str> = FORMATS
            .iter()
            .filter(|f| f.names.iter().any(|g| glob_matcher(g).is_match(stripped)))
            .map(|f| f.name)
            .collect();
        match by_name.as_slice() {
            [] => assert_eq!(shape_of(text), Some(format), "{name}"),
            [decided] => assert_eq!(*decided, format, "{name}"),
            more => panic!("{name} is decided by several names: {more:?}"),
        }
        // Whatever the name, the content alone tells the format too.
        assert_eq!(shape_of(text), Some(format), "{name} by content");
    }
}

/// No shape of a format banscan does not read claims a fixture of one it
/// reads (requirements, app inventories, endpoint lists, look-alikes);
/// the lockfiles in the walk fixture are claimed by their own only.
#[test]
fn read_fixtures_keep_their_format() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut checked = 0;
    for folder in [
        "requirements",
        "endpoint-list",
        "app-csv",
        "input-layer",
        "cargo-lock",
        "zeek-log",
        "suricata-eve",
    ] {
        for entry in ignore::WalkBuilder::new(root.join(folder))
            .standard_filters(false)
            .build()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        {
            let bytes = std::fs::read(entry.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            let path = entry.path().to_string_lossy().replace('\\', "/");
            let named: Vec<&str> = FORMATS
                .iter()
                .filter(|f| f.names.iter().any(|g| glob_matcher(g).is_match(&path)))
                .map(|f| f.name)
                .collect();
            let claimed: Vec<&str> = FORMATS
                .iter()
                .filter(|f| !f.is_read() && f.shape.is_some_and(|shape| shape(&text)))
                .map(|f| f.name)
                .filter(|name| !named.contains(name))
                .collect();
            assert!(claimed.is_empty(), "{path}: {claimed:?}");
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked}");
}
