#!/bin/bash
# German policies and app texts under the shipped criteria (issue 12, the German side): the
# real German policy of example 11, as written and with one sentence added, through the real
# CLI. Before MH-NOADS-01 v8 a German policy went to review whatever it said, and a German
# text too short to be detected passed even when it disclosed advertising use.
SUITE=german
. "$(dirname "$0")/lib.sh"

SET=$TMP/set
mkdir -p "$SET/data_protection" "$SET/young_people" "$SET/security"
cat >"$SET/framework.json" <<'JSON'
{"name": "german test criteria", "version": "1.0.0", "effective_date": "2026-01-01",
 "submission_schema": "none",
 "categories": [{"id": "secure_data", "title": "Secure data"}],
 "domains": [{"id": "data_protection", "title": "Data protection", "category": "secure_data"},
             {"id": "young_people", "title": "Young people", "category": "secure_data"},
             {"id": "security", "title": "Security", "category": "secure_data"}]}
JSON
cp "$ROOT/criteria/data_protection/MH-NOADS-01.json" "$ROOT/criteria/data_protection/DP-DEL-02.json" \
	"$ROOT/criteria/data_protection/DP-RET-02.json" "$SET/data_protection/"
cp "$ROOT/criteria/young_people/MH-CHILD-HELPLINES-01.json" "$SET/young_people/"
cp "$ROOT/criteria/security/MIND-SECURITY-01.json" "$SET/security/"
cp "$ROOT/criteria/data_protection/MIND-DEVELOPER-01.json" "$SET/data_protection/"
REPO=$TMP/repo
make_repo "$REPO" "$SET"

DE=$ROOT/submissions/11-ankerzeit-diga/datenschutzerklaerung.md
# sub NAME KIND: a submission whose KIND evidence is $TMP/NAME.md, for adolescents
sub() {
	mkdir -p "$TMP/$1"
	cp "$TMP/$1.md" "$TMP/$1/text.md"
	printf '{"submission_date": "2026-10-01", "target_users": {"age_groups": ["adolescents"]}, "data_protection": {"processes_personal_data": true}, "evidence": [{"kind": "%s", "path": "text.md"}]}\n' \
		"$2" >"$TMP/$1/submission.json"
	"$EMHEVAL" check "$TMP/$1" --criteria "$REPO" --format json -o "$TMP/$1.json" 2>"$TMP/err"
}
outcome() { jq -r --arg id "$2" '.results[] | select(.id == $id) | .outcome' "$TMP/$1.json"; }
reason() { jq -r --arg id "$2" '.results[] | select(.id == $id) | .reason // ""' "$TMP/$1.json"; }
excerpt() { jq -r --arg id "$2" '[.results[] | select(.id == $id) | .findings[]?.excerpt] | join(" ")' "$TMP/$1.json"; }

# Example 11's policy as written ("Eine Verarbeitung zu Werbezwecken findet nicht statt. Wir
# verkaufen keine Daten."): no German disclosure, and the English members cannot read it.
cp "$DE" "$TMP/plain.md"
sub plain privacy_policy
# The English members do not read it, but the criterion's German member does: the file is not
# unread, so it is not sent to a reviewer for want of a German reading (it was before).
check "German policy with denials only: MH-NOADS-01 passes (its German member read it)" test "$(outcome plain MH-NOADS-01)" = pass

# A language no member reads still goes to a reviewer, and the reason names the languages the
# criterion reads as a whole (it said "en" only, although the German member reads German).
{ printf '# Politique de confidentialité\n\nNous traitons vos données personnelles uniquement pour fournir le service. '
  printf 'Nous ne vendons pas vos données et nous ne les partageons pas avec des annonceurs. Vos données sont hébergées en France et supprimées à votre demande.\n'; } >"$TMP/fr.md"
sub fr privacy_policy
check "French policy: MH-NOADS-01 goes to a reviewer" test "$(outcome fr MH-NOADS-01)" = needs_review
contains "$(reason fr MH-NOADS-01)" 'detected as "fr"' "the reason names the detected language"
contains "$(reason fr MH-NOADS-01)" 'read "en de" only' "the reason names the languages the criterion reads as a whole"

# The same policy with a disclosure in its purposes section.
sed 's/Wir verkaufen keine Daten\./Wir verkaufen keine Daten, geben Ihre Fragebogenwerte aber an unsere Werbepartner weiter./' "$DE" >"$TMP/aber.md"
check "the disclosure was added" grep -q Werbepartner "$TMP/aber.md"
sub aber privacy_policy
check "German policy, 'keine ... aber an Werbepartner': MH-NOADS-01 fails" test "$(outcome aber MH-NOADS-01)" = fail
contains "$(excerpt aber MH-NOADS-01)" "Werbepartner" "the finding quotes the German clause"

sed 's/Eine Verarbeitung zu Werbezwecken findet nicht statt\./Wenn Sie nicht widersprechen, nutzen wir Ihr Paniktagebuch für personalisierte Werbung./' "$DE" >"$TMP/wenn.md"
sub wenn privacy_policy
check "German policy, negation only in the 'wenn' clause: MH-NOADS-01 fails" test "$(outcome wenn MH-NOADS-01)" = fail

# Too short to be detected: read by every member, as before, but now the German one sees it.
printf 'Wir geben Ihre Gesundheitsdaten zu Werbezwecken an Dritte weiter.\n' >"$TMP/short.md"
sub short privacy_policy
check "short German disclosure: MH-NOADS-01 fails (it passed before v8)" test "$(outcome short MH-NOADS-01)" = fail
printf 'Wir geben Ihre Gesundheitsdaten nicht zu Werbezwecken an Dritte weiter.\n' >"$TMP/shortneg.md"
sub shortneg privacy_policy
check "short German denial: MH-NOADS-01 passes" test "$(outcome shortneg MH-NOADS-01)" = pass

# DP-DEL-02 v3 reads German: example 11's "Sie können Ihr Konto und alle Inhalte ... löschen entfernen"
# passes (it went to a reviewer before); a German policy that denies deletion fails, not review.
check "German policy with a deletion sentence: DP-DEL-02 passes" test "$(outcome plain DP-DEL-02)" = pass
sed -e 's/Sie können Ihr Konto und alle Inhalte jederzeit in der App unter Einstellungen > Konto löschen entfernen; die Löschung ist nach spätestens 14 Tagen auch in den Sicherungen abgeschlossen\./Eine Löschung Ihrer Daten ist nicht möglich./' \
	-e 's/, Löschung,/,/' "$DE" >"$TMP/noloesch.md"
check "the deletion sentence was replaced" grep -q "Eine Löschung Ihrer Daten ist nicht möglich" "$TMP/noloesch.md"
sub noloesch privacy_policy
check "German policy, 'Eine Löschung Ihrer Daten ist nicht möglich': DP-DEL-02 fails" test "$(outcome noloesch DP-DEL-02)" = fail
contains "$(reason noloesch DP-DEL-02)$(jq -r '.results[] | select(.id == "DP-DEL-02") | .message // ""' "$TMP/noloesch.json")" "does not say" "the fail is DP-DEL-02's own message, not a language review"

# DP-RET-02 v3 reads German too: "für die Dauer der Verordnung und danach höchstens 36 Monate" passes;
# the same policy with its periods ("während des Programms" is one, as "while" is in English) replaced by
# where the data is kept fails (both went to review before).
check "German policy with a retention period: DP-RET-02 passes" test "$(outcome plain DP-RET-02)" = pass
sed -e 's/für die Dauer der Verordnung und danach höchstens 36 Monate zur Erfüllung unserer Dokumentationspflichten als Hersteller/verschlüsselt auf Servern in Frankfurt am Main/' \
	-e 's/; die Löschung ist nach spätestens 14 Tagen auch in den Sicherungen abgeschlossen//' \
	-e 's/Während des Programms speichern wir/In der App speichern wir/' "$DE" >"$TMP/noret.md"
check "the retention period was replaced" grep -q "Servern in Frankfurt" "$TMP/noret.md"
sub noret privacy_policy
check "German policy without a retention period: DP-RET-02 fails" test "$(outcome noret DP-RET-02)" = fail

# MIND-SECURITY-01 v3 reads German: example 11's "Die Übertragung ist mit TLS 1.2 oder höher verschlüsselt, die
# Speicherung ebenfalls verschlüsselt." passes (it went to a reviewer before); the same policy saying "Ihre Daten
# werden nicht verschlüsselt gespeichert." instead fails with the criterion's own message, not a language review.
check "German policy stating encryption: MIND-SECURITY-01 passes" test "$(outcome plain MIND-SECURITY-01)" = pass
sed -e 's/Die Übertragung ist mit TLS 1\.2 oder höher verschlüsselt, die Speicherung ebenfalls verschlüsselt\./Ihre Daten werden nicht verschlüsselt gespeichert./' \
	"$DE" >"$TMP/noenc.md"
check "the encryption sentence was replaced" grep -q "Ihre Daten werden nicht verschlüsselt gespeichert" "$TMP/noenc.md"
check "no other encryption sentence is left" test "$(grep -c -i 'verschlüssel\|TLS' "$TMP/noenc.md")" = 1
sub noenc privacy_policy
check "German policy, 'Ihre Daten werden nicht verschlüsselt gespeichert': MIND-SECURITY-01 fails" \
	test "$(outcome noenc MIND-SECURITY-01)" = fail
contains "$(jq -r '.results[] | select(.id == "MIND-SECURITY-01") | .message // ""' "$TMP/noenc.json")" "does not state that data is encrypted" \
	"the fail is MIND-SECURITY-01's own message, not a language review"

# MIND-DEVELOPER-01 v3 reads German: example 11's "Verantwortlich im Sinne der DSGVO ist die Lindenhof Digital
# Therapeutics GmbH, ..." passes (it went to a reviewer before); with that sentence replaced by the Impressum
# disclaimer about linked sites, no controller is named: it fails with the criterion's own message.
check "German policy naming the controller: MIND-DEVELOPER-01 passes" test "$(outcome plain MIND-DEVELOPER-01)" = pass
sed -e 's/^Verantwortlich im Sinne der DSGVO ist die Lindenhof Digital Therapeutics GmbH, Karl-Liebknecht-Straße 88, 04275 Leipzig\./Für den Inhalt der verlinkten Seiten sind ausschließlich deren Betreiber verantwortlich./' \
	"$DE" >"$TMP/nocontroller.md"
check "the controller sentence was replaced" grep -q "deren Betreiber verantwortlich" "$TMP/nocontroller.md"
sub nocontroller privacy_policy
check "German policy naming no controller: MIND-DEVELOPER-01 fails" test "$(outcome nocontroller MIND-DEVELOPER-01)" = fail
contains "$(jq -r '.results[] | select(.id == "MIND-DEVELOPER-01") | .message // ""' "$TMP/nocontroller.json")" \
	"does not name the data controller" "the fail is MIND-DEVELOPER-01's own message, not a language review"

# One sentence of 250 kB with 15,000 commas: the German members scan it without running out of regex stack
# (a sentence-wide lazy subpattern did, an error instead of a verdict).
{ printf 'Wir verarbeiten Angaben'; for _ in $(seq 15000); do printf ', und zwar Werte'; done; printf ' ohne Ende\n'; } >"$TMP/commas.md"
sub commas privacy_policy
check "a 250 kB German sentence of commas: DP-DEL-02 fails, no error" test "$(outcome commas DP-DEL-02)" = fail
check "a 250 kB German sentence of commas: DP-RET-02 fails, no error" test "$(outcome commas DP-RET-02)" = fail
# MH-NOADS-01 v10: its German member walks a clause with plain character classes and possessive loops
# (v9's lazy subpattern per character ran out of JIT stack on both inputs: error). The same sentence
# has no disclosure: pass; with 'Ihre Angaben ... an Werbepartner' 240 kB apart it discloses: fail.
check "a 250 kB German sentence of commas: MH-NOADS-01 passes, no error" test "$(outcome commas MH-NOADS-01)" = pass
check "a 250 kB German sentence of commas: MIND-SECURITY-01 fails, no error" test "$(outcome commas MIND-SECURITY-01)" = fail
check "a 250 kB German sentence of commas: MIND-DEVELOPER-01 fails, no error" test "$(outcome commas MIND-DEVELOPER-01)" = fail
{ printf 'Wir geben Ihre Angaben'; for _ in $(seq 15000); do printf ', und zwar Werte'; done; printf ', an Werbepartner weiter\n'; } >"$TMP/commas-ads.md"
sub commas-ads privacy_policy
check "a 250 kB German sentence of commas passing data to Werbepartner: MH-NOADS-01 fails, no error" \
	test "$(outcome commas-ads MH-NOADS-01)" = fail

# The same 250 kB sentence without a comma: one clause. DP-DEL-02 v3, DP-RET-02 v4 and MIND-SECURITY-01 v3
# walked it with a lazy subpattern per character and ran out of JIT stack (error); since DP-DEL-02 v4,
# DP-RET-02 v5 and MIND-SECURITY-01 v4 each scan is an atomic lazy character class. It states nothing:
# the three fail, as MIND-DEVELOPER-01 does, and MH-NOADS-01 passes.
{ printf 'Wir verarbeiten Angaben'; for _ in $(seq 15000); do printf ' und zwar Werte'; done; printf ' ohne Ende.\n'; } >"$TMP/long.md"
check "the comma-less sentence is one sentence of 225 kB or more" \
	test "$(grep -c '[,;!?]' "$TMP/long.md")" = 0 -a "$(wc -c <"$TMP/long.md")" -ge 225000
sub long privacy_policy
for id in DP-DEL-02 DP-RET-02 MIND-SECURITY-01 MIND-DEVELOPER-01; do
	check "a 250 kB German sentence without a comma: $id fails, no error ($(reason long "$id" | cut -c1-60))" \
		test "$(outcome long "$id")" = fail
done
check "a 250 kB German sentence without a comma: MH-NOADS-01 passes, no error" test "$(outcome long MH-NOADS-01)" = pass
# The same clause ending in a statement 225 kB after its subject: each scan walks the whole clause and finds it.
{ printf 'Ihre Angaben'; for _ in $(seq 15000); do printf ' und zwar Werte'; done
  printf ' werden verschlüsselt gespeichert und nach 30 Tagen gelöscht.\n'; } >"$TMP/long-stated.md"
sub long-stated privacy_policy
for id in DP-DEL-02 DP-RET-02 MIND-SECURITY-01; do
	check "a 250 kB German clause ending 'verschlüsselt gespeichert und nach 30 Tagen gelöscht': $id passes ($(reason long-stated "$id" | cut -c1-60))" \
		test "$(outcome long-stated "$id")" = pass
done
check "a 250 kB German clause naming no controller: MIND-DEVELOPER-01 fails, no error" test "$(outcome long-stated MIND-DEVELOPER-01)" = fail
check "a 250 kB German clause without advertising: MH-NOADS-01 passes, no error" test "$(outcome long-stated MH-NOADS-01)" = pass

# German app text for adolescents: the Nummer gegen Kummer passes; none listed goes to review.
{ printf '# Hilfe in Krisen\n\nDiese App ist kein Notfalldienst. Wenn du in Gefahr bist, ruf sofort den Notruf 112 an. '
  printf 'Wenn du traurig bist oder dir Sorgen machst, kannst du mit jemandem reden: Die Nummer gegen Kummer erreichst du anonym und kostenlos unter 116 111.\n'; } >"$TMP/kummer.md"
sub kummer app_text
check "German app text naming the Nummer gegen Kummer: MH-CHILD-HELPLINES-01 passes" test "$(outcome kummer MH-CHILD-HELPLINES-01)" = pass
sed 's/Die Nummer gegen Kummer erreichst du anonym und kostenlos unter 116 111\./Sprich mit deinen Eltern oder einer Lehrerin oder einem Lehrer, dem du vertraust./' "$TMP/kummer.md" >"$TMP/nokummer.md"
sub nokummer app_text
# The German member read it and found no helpline; the English member has nothing of its own to
# read (it went to review before, "patterns read en only"): a fail, as for an English text.
check "German app text without a listed youth helpline: MH-CHILD-HELPLINES-01 fails" \
	test "$(outcome nokummer MH-CHILD-HELPLINES-01)" = fail

summary
