/** The JobRunr dashboard, served by the scheduler role on its own port behind basic auth. */
package dev.genq.dashboard;
