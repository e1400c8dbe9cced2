/** /v1/wallet: the caller's balance, what is reserved for running generations, and what was spent. */
package dev.genq.api.wallet;
