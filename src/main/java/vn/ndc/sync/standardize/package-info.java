/**
 * Standardize stage: maps agency rows to canonical entities with a declarative mapping, and applies
 * data-quality rules.
 *
 * <h2>Mapping file ({@code connectors/<agency>/mapping.yaml})</h2>
 *
 * <pre>{@code
 * version: 1                    # mapping version, copied to lineage.schemaVersion (quote 1.10)
 * entity: Person                # canonical entity (avro-schemas/); Person is supported
 * table: public.nhan_khau       # source table, schema-qualified where the database has schemas
 * timezone: Asia/Ho_Chi_Minh    # zone of source local times; this is the default
 * fields:                       # canonical field: {column: <source column>, transform: <name>, options}
 *   fullName: {column: ho_ten, transform: person-name}
 *   permanentAddress.streetLine: {column: dia_chi, transform: text}   # nested record field
 * rules:
 *   required: [personalId, fullName]   # empty value → rejected as person.required.<field>
 * }</pre>
 *
 * <p>Transforms (an empty or blank value is null for all of them):
 *
 * <ul>
 *   <li>{@code text}: NFC, invisible characters removed, whitespace collapsed and trimmed.
 *   <li>{@code person-name}: text, then each word capitalized (Vietnamese casing).
 *   <li>{@code date} — options {@code formats} (java.time patterns, strict) and {@code timezone};
 *       also ISO dates and date-times and epoch days/millis, see {@link
 *       vn.ndc.sync.standardize.DateTransform}.
 *   <li>{@code code} — options {@code codes} (source value → code, matched ignoring case and
 *       diacritics; required) and {@code default} (used when the value is empty). An unknown value
 *       is rejected with rule {@code <entity>.<field>.code}.
 *   <li>{@code personal-id}: 12 digits (a 9-digit value is moved to formerId).
 *   <li>{@code former-id}: 9 digits.
 *   <li>{@code phone}: Vietnamese number to E.164 (+84...).
 * </ul>
 *
 * <p>A value a transform cannot read rejects the row with rule {@code
 * <entity>.<field-in-kebab-case>.<kind>}, e.g. person.personal-id.format or
 * person.permanent-address.street-line.format.
 */
package vn.ndc.sync.standardize;
