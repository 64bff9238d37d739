/** The local stack and its services: one command per service, up, down and status. */
package dev.xssab.cli.service;
