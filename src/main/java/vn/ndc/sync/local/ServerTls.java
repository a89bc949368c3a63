package vn.ndc.sync.local;

import java.nio.file.Path;

/**
 * TLS for an embedded database server: its certificate and unencrypted private key, both PEM. A
 * server started with it refuses TCP clients that do not use TLS, as a server holding personal data
 * should.
 */
public record ServerTls(Path certificate, Path privateKey) {}
