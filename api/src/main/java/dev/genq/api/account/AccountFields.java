package dev.genq.api.account;

import dev.genq.account.Account;
import dev.genq.account.AccountService;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.regex.Pattern;

/**
 * A rectification: the fields given replace the account's; a field left out stays; an empty
 * e-mail or phone clears it.
 */
@Serdeable
public record AccountFields(@Nullable String name, @Nullable String email, @Nullable String phone) {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,189}\\.[^@\\s.]{2,63}");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 ()-]{3,30}");

    public Account applyTo(Account current, AccountService accounts) {
        if (name == null && email == null && phone == null) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "give at least one of 'name', 'email', 'phone'");
        }
        String newName = name == null ? current.name() : name.strip();
        if (newName.isEmpty() || newName.length() > 200) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'name' must be 1 to 200 characters");
        }
        return accounts.rectify(current.id(), newName, checked(email, current.email(), EMAIL, "email", "an e-mail address"),
            checked(phone, current.phone(), PHONE, "phone", "a phone number (digits, spaces, +, -, parentheses)"));
    }

    @Nullable
    private static String checked(@Nullable String given, @Nullable String current, Pattern pattern, String field, String what) {
        if (given == null) {
            return current;
        }
        String value = given.strip();
        if (value.isEmpty()) {
            return null;
        }
        if (!pattern.matcher(value).matches()) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "'" + field + "' must be " + what);
        }
        return value;
    }
}
