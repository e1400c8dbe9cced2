package dev.genq.api.auth;

import dev.genq.staff.AdminRole;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The least role an /admin route needs. Every /admin route carries one; a route without it is refused. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AdminAccess {
    AdminRole value();
}
