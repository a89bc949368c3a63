/**
 * Standardize stage: maps agency rows to canonical entities with a declarative mapping, and applies
 * data-quality rules.
 *
 * <h2>Mapping file ({@code connectors/<agency>/mapping.yaml})</h2>
 *
 * <pre>{@code
 * version: 1                    # mapping version, copied to lineage.schemaVersion (quote 1.10)
 * entity: Person                # canonical entity (avro-schemas/): Person for agencies, Citizen
 *                               # for the population database (rule names citizen.*)
 * table: public.nhan_khau       # source table, schema-qualified where the database has schemas
 * timezone: Asia/Ho_Chi_Minh    # zone of source local times; this is the default
 * fields:                       # canonical field: {column: <column>, transform: <name>, options}
 *   fullName: {column: ho_ten, transform: person-name}
 *   currentAddress.streetLine: {column: dia_chi, transform: text}   # nested record field
 *   phone: {column: so_dt, transform: phone, ifAbsent: empty}   # column the agency adds later
 *   sourceKey: {column: ma_chu, transform: text}   # the row's primary key: rows without any ID
 *                                                  # are kept (key row:<value>), not rejected
 * rules:
 *   required: [personalId, fullName]   # empty value → rejected as person.required.<field>
 * }</pre>
 *
 * <p>{@code ifAbsent}: {@code reject} (the default) dead-letters a row that lacks the column, as
 * person.source.column-missing, so a column dropped at the source never silently empties a field;
 * {@code empty} leaves the field empty instead and lets `local` start before the column exists (not
 * allowed on a required field). Columns the mapping does not name are ignored.
 *
 * <p>Transforms (an empty or blank value is null for all of them):
 *
 * <ul>
 *   <li>{@code text}: NFC, invisible characters removed, whitespace collapsed and trimmed.
 *   <li>{@code person-name}: text, then each word capitalized (Vietnamese casing).
 *   <li>{@code date} — options {@code formats} (java.time patterns, strict, tried in order) and
 *       {@code timezone} (default: the mapping's); also ISO dates and date-times and epoch
 *       days/millis, see {@link vn.ndc.sync.standardize.DateTransform}.
 *   <li>{@code code} — options {@code codes} (source value → code, matched ignoring case,
 *       diacritics and spacing; required; quote values YAML reads as booleans) and {@code default}
 *       (used when the value is empty). An unknown value is rejected (kind {@code code}). For an
 *       enum field (sex) the codes must be its symbols.
 *   <li>{@code personal-id}: 12 digits after removing spaces, dots and dashes; a 9-digit value is a
 *       former ID card number and is moved to formerId.
 *   <li>{@code former-id}: 9 digits.
 *   <li>{@code phone}: Vietnamese mobile or landline number to E.164 (+84...).
 *   <li>{@code address} — options {@code unresolved: keep|reject} (default keep) and {@code
 *       province} (assumed when the text ends without a province): free-text address to a whole
 *       Address record (2025 province and commune codes, street line, original text); map it to
 *       permanentAddress or currentAddress. With keep, a commune that is unknown or was split in
 *       2025 is left without a code; with reject the row is rejected (kinds province-unknown,
 *       commune-unknown, commune-ambiguous).
 *   <li>{@code province}: a province name or code, 2025 or pre-2025, to the 2025 code.
 *   <li>{@code commune-code}: a commune code, 2025 or pre-2025, to the 2025 code (kinds unknown,
 *       ambiguous).
 * </ul>
 *
 * <p>Rule names. A value a transform cannot read: {@code <entity>.<field-in-kebab-case>.<kind>},
 * e.g. person.personal-id.format or person.current-address.commune-code.ambiguous. Rules:
 * person.required.&lt;field&gt; (rules.required), person.key.missing (neither personal nor former
 * ID), person.source.column-missing (a mapped column absent from the row),
 * person.former-id.conflict, person.date-of-birth.future, person.date-of-birth.before-1900,
 * person.personal-id.province / .sex / .birth-year (see {@link
 * vn.ndc.sync.standardize.PersonalIdRules}), person.&lt;address&gt;.province-unknown /
 * .commune-unknown / .commune-province (codes must be 2025 units, the commune inside the province).
 * Deletes are checked only for a usable key.
 */
package vn.ndc.sync.standardize;
