package dev.xssab.registry;

/** An error answered to a client: HTTP status plus Confluent's error_code and message. */
final class RegistryError extends RuntimeException {
    final int status;
    final int errorCode;

    RegistryError(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    static RegistryError subjectNotFound(String subject) {
        return new RegistryError(404, 40401, "Subject '" + subject + "' not found.");
    }

    static RegistryError versionNotFound(String version) {
        return new RegistryError(404, 40402, "Version " + version + " not found.");
    }

    static RegistryError schemaNotFound() {
        return new RegistryError(404, 40403, "Schema not found");
    }

    static RegistryError invalidSchema(String why) {
        return new RegistryError(422, 42201, "Invalid schema: " + why);
    }

    static RegistryError invalidVersion(String version) {
        return new RegistryError(422, 42202,
                "The specified version '" + version + "' is not a valid version id. Allowed values are between [1, 2^31-1]"
                        + " and the string \"latest\"");
    }

    static RegistryError invalidCompatibility(String level) {
        return new RegistryError(422, 42203, "Invalid compatibility level. Valid values are none, backward, forward, full, "
                + "backward_transitive, forward_transitive, and full_transitive: " + level);
    }

    static RegistryError incompatible(String subject, String detail) {
        return new RegistryError(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
                + subject + "\", details: " + detail);
    }

    static RegistryError subjectCompatibilityNotConfigured(String subject) {
        return new RegistryError(404, 40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
    }
}
