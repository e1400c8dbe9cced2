/**
 * The people who operate genq: one admin key per person, with a role, so every admin change is
 * recorded with the person whose key made it.
 */
package dev.genq.staff;
