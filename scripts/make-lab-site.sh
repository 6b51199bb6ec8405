#!/usr/bin/env bash
# Regenerates scenarios/sites/lab/, the page of the lab this project
# reproduces (/work/shared/mission, section 编写Web页面): index.html with the
# student's name, id and major (placeholders: "Zhang San", 2024123456, not the
# real student's), the logo Myhead.jpg and the page background
# background.png. Deterministic: the same files on every run.
#
# Development-time only: the generated files are committed as data; builds
# and tests never run this. Needs python3 (standard library) and cjpeg from
# the Debian package libjpeg-turbo-progs, installed here if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

site=scenarios/sites/lab

if ! command -v cjpeg >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -qq --no-install-recommends libjpeg-turbo-progs ||
    { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends libjpeg-turbo-progs; }
fi

mkdir -p "$site"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 scripts/make_lab_images.py "$work"
cp "$work/background.png" "$site/background.png"
# Baseline (non-progressive) JFIF, default Huffman tables: what old cameras
# and the lab's logo file look like to Wireshark ("JPEG JFIF image").
cjpeg -quality 95 -baseline -outfile "$site/Myhead.jpg" "$work/Myhead.ppm"

# The lab's page as the report shows it. The report's listing leaves out the
# logo, but the page it shows has it: it goes in the empty <center> at the
# end. The second <body> tag is the report's own: browsers merge its
# background attribute into the body.
cat > "$site/index.html" <<'HTML'
<!DOCTYPE HTML>
<html>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<head>
<title>MooseWeb</title>
</head>
<body>
<body background="background.png">
<h1><p align="center"><font color="black" face="Microsoft YaHei">Zhang San</font></p ></h1>
<center><h3>张三</h3>
<h3>2024123456</h3>
<h3>计算机科学与技术</h3></center>
<center><img src="Myhead.jpg"></center>
</body>
</html>
HTML

file "$site"/* 2>/dev/null || true
ls -l "$site"
