/** /admin/v1: opening accounts with their first key, and crediting coins. Guarded by the admin key. */
package dev.genq.api.admin;
