package dev.xssab.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free ports on 127.0.0.1, for servers a test or the fault harness starts (never a fixed port another run may hold). */
public final class LoopbackPorts {
    private LoopbackPorts() {}

    /** A loopback port that was free a moment ago (also: one nobody answers on). */
    public static int unused() {
        return unused(1).get(0);
    }

    /** {@code count} distinct free ports: every socket is held open until all are known, so none is handed out twice. */
    public static List<Integer> unused(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing a listening socket nobody connected to: nothing to lose
                }
            }
        }
    }
}
