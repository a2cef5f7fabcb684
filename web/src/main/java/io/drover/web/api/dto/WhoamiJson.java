package io.drover.web.api.dto;

import java.util.List;

/** Who the caller is: the token's subject and role and the permissions it grants (sorted); {@code secure} false on an --insecure coordinator. */
public record WhoamiJson(String subject, String role, List<String> permissions, boolean secure) {
    public WhoamiJson {
        permissions = List.copyOf(permissions);
    }
}
