package dev.genq.api.auth;

import dev.genq.staff.AdminKeys;

/** The person behind an /admin request; their name is what every admin change records. */
public record AdminCaller(AdminKeys.Admin admin) {
    public static final String ATTRIBUTE = "genq.admin";

    public String person() {
        return admin.person();
    }
}
