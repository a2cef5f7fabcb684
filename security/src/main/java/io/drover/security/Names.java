package io.drover.security;

import java.util.regex.Pattern;

/** The names certificates and tokens carry, and what each may contain. */
final class Names {
    /** As the agent's own configuration accepts them. */
    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    /** A token's subject and pool, and a certificate's pool. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

    private Names() {
    }

    static boolean isAgentId(String s) {
        return s != null && AGENT_ID.matcher(s).matches();
    }

    static boolean isPool(String s) {
        return s != null && NAME.matcher(s).matches();
    }

    static boolean isSubject(String s) {
        return s != null && NAME.matcher(s).matches();
    }
}
