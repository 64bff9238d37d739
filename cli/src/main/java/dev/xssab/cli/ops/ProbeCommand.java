package dev.xssab.cli.ops;

import dev.xssab.cli.service.Stack;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code xssab probe URL}: exit 0 if an http URL answers 200 or a tcp://host:port accepts a
 * connection, 1 otherwise. The containers' health checks use it, so the image needs no curl.
 */
@Command(name = "probe", description = "Exit 0 if an http:// URL answers 200 (or tcp://HOST:PORT accepts a connection).")
public final class ProbeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "URL")
    URI url;

    @Override
    public Integer call() {
        if ("tcp".equals(url.getScheme())) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(url.getHost(), url.getPort()), 3000);
                return 0;
            } catch (java.io.IOException e) {
                System.err.println("xssab probe: " + url + ": " + e.getMessage());
                return 1;
            }
        }
        HttpResponse<String> r = Stack.get(url);
        if (r != null && r.statusCode() == 200) {
            return 0;
        }
        System.err.println("xssab probe: " + url + ": " + (r == null ? "no answer" : r.statusCode() + " " + r.body()));
        return 1;
    }
}
