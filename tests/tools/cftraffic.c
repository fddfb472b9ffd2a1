// SPDX-License-Identifier: GPL-2.0
/*
 * cftraffic - exact-count traffic generator/sink for the camfence tests.
 *
 *   cftraffic udp-send [-s SRCADDR] [-p SRCPORT] [-i USEC] [-f STOPFILE] ADDR PORT COUNT [SIZE]
 *   cftraffic udp-sink [-t TIMEOUT_MS] [-f STOPFILE] ADDR PORT
 *   cftraffic udp-echo ADDR PORT
 *   cftraffic tcp-listen ADDR PORT
 *   cftraffic tcp-connect [-t TIMEOUT_MS] [-s SRCADDR] [-p SRCPORT] [-n]
 *                         [-r KBYTES_PER_S] [-f STOPFILE] ADDR PORT [BYTES]
 *   cftraffic tcp-sink ADDR PORT
 *
 * udp-send -f STOPFILE: stop early, before the next datagram, once STOPFILE
 * exists; prints the number of datagrams sent (COUNT is the maximum).
 * tcp-connect -f STOPFILE: keep sending until STOPFILE exists (and at least
 * BYTES were sent), then check the echo of everything; prints the number of
 * bytes sent (and echoed byte-exact).  -r paces the sending (KiB/s), so a
 * long transfer neither starves a slow guest nor ends too early.
 * Addresses are numeric IPv4 or IPv6.  Exit 0 on success, 1 on a network
 * failure (refused, timed out, short/mismatched echo, send error), 2 on usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_DGRAM 65507
#define MAX_CONN 64

static const char *prog = "cftraffic";

__attribute__((noreturn, format(printf, 2, 3)))
static void die(int rc, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(rc);
}

__attribute__((noreturn))
static void usage(void)
{
	fprintf(stderr,
		"usage: cftraffic udp-send [-s SRCADDR] [-p SRCPORT] [-i USEC] [-f STOPFILE] ADDR PORT COUNT [SIZE]\n"
		"       cftraffic udp-sink [-t TIMEOUT_MS] [-f STOPFILE] ADDR PORT\n"
		"       cftraffic udp-echo ADDR PORT\n"
		"       cftraffic tcp-listen ADDR PORT\n"
		"       cftraffic tcp-connect [-t TIMEOUT_MS] [-s SRCADDR] [-p SRCPORT] [-n]\n"
		"                             [-r KBYTES_PER_S] [-f STOPFILE] ADDR PORT [BYTES]\n"
		"       cftraffic tcp-sink ADDR PORT\n");
	exit(2);
}

static long parse_num(const char *s, const char *what, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		die(2, "invalid %s '%s' (expected %ld..%ld)", what, s, min, max);
	return v;
}

/* Resolve a numeric address + port; "" or NULL address means wildcard of @family. */
static void resolve(const char *addr, long port, struct sockaddr_storage *ss,
		    socklen_t *len)
{
	struct addrinfo hints, *res;
	char pbuf[16];
	int err;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	snprintf(pbuf, sizeof(pbuf), "%ld", port);
	err = getaddrinfo(addr, pbuf, &hints, &res);
	if (err)
		die(2, "invalid address '%s': %s", addr, gai_strerror(err));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
}

static void set_port(struct sockaddr_storage *ss, long port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
}

static void wildcard(int family, long port, struct sockaddr_storage *ss,
		     socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = (sa_family_t)family;
	*len = family == AF_INET ? sizeof(struct sockaddr_in) :
				   sizeof(struct sockaddr_in6);
	set_port(ss, port);
}

static int mksock(int family, int type)
{
	int one = 1;
	int fd = socket(family, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die(1, "socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	return fd;
}

static void bind_or_die(int fd, struct sockaddr_storage *ss, socklen_t len,
			const char *what)
{
	if (bind(fd, (struct sockaddr *)ss, len) < 0)
		die(1, "bind %s: %s", what, strerror(errno));
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Source address/port options shared by udp-send and tcp-connect. */
static void bind_source(int fd, int family, const char *src, long sport)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (!src && sport < 0)
		return;
	if (src) {
		resolve(src, sport < 0 ? 0 : sport, &ss, &len);
		if (ss.ss_family != family)
			die(2, "source address family differs from destination");
	} else {
		wildcard(family, sport, &ss, &len);
	}
	bind_or_die(fd, &ss, len, src ? src : "source port");
}

static int cmd_udp_send(int argc, char **argv)
{
	const char *src = NULL, *stopfile = NULL;
	long sport = -1, interval = 0, count, size = 64, i, failed = 0;
	struct sockaddr_storage dst;
	socklen_t dlen;
	int opt, fd, sndbuf = 4 << 20;
	char *buf;
	int first_err = 0;

	while ((opt = getopt(argc, argv, "+s:p:i:f:")) != -1) {
		switch (opt) {
		case 's': src = optarg; break;
		case 'p': sport = parse_num(optarg, "source port", 1, 65535); break;
		case 'i': interval = parse_num(optarg, "interval", 0, 10000000); break;
		case 'f': stopfile = optarg; break;
		default: usage();
		}
	}
	if (argc - optind < 3 || argc - optind > 4)
		usage();
	resolve(argv[optind], parse_num(argv[optind + 1], "port", 1, 65535),
		&dst, &dlen);
	count = parse_num(argv[optind + 2], "count", 0, LONG_MAX);
	if (argc - optind == 4)
		size = parse_num(argv[optind + 3], "size", 0, MAX_DGRAM);

	fd = mksock(dst.ss_family, SOCK_DGRAM);
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	bind_source(fd, dst.ss_family, src, sport);
	buf = calloc(1, size > 8 ? (size_t)size : 8);
	if (!buf)
		die(1, "out of memory");
	for (i = 0; i < count; i++) {
		uint64_t seq = (uint64_t)i;

		if (stopfile && access(stopfile, F_OK) == 0)
			break;
		memcpy(buf, &seq, size < 8 ? (size_t)size : 8);
		/* unconnected: an ICMP error must not turn into ECONNREFUSED */
		if (sendto(fd, buf, (size_t)size, 0, (struct sockaddr *)&dst, dlen) < 0) {
			if (errno == ENOBUFS || errno == EAGAIN) {
				usleep(1000);
				i--;
				continue;
			}
			if (!failed)
				first_err = errno;
			failed++;
		}
		if (interval)
			usleep((useconds_t)interval);
	}
	free(buf);
	close(fd);
	if (stopfile)
		printf("%ld\n", i);
	if (failed) {
		fprintf(stderr, "%s: udp-send: %ld of %ld datagrams failed (first error: %s)\n",
			prog, failed, count, strerror(first_err));
		return 1;
	}
	return 0;
}

static int bound_socket(int argc, char **argv, int type)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, rcvbuf = 8 << 20;

	if (argc - optind != 2)
		usage();
	resolve(argv[optind], parse_num(argv[optind + 1], "port", 1, 65535), &ss, &len);
	fd = mksock(ss.ss_family, type);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	/* SO_RCVBUFFORCE lifts rmem_max for root; ignore failure */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	bind_or_die(fd, &ss, len, argv[optind]);
	if (type == SOCK_STREAM && listen(fd, 64) < 0)
		die(1, "listen: %s", strerror(errno));
	return fd;
}

/*
 * Counts datagrams until TIMEOUT_MS of silence.  With -f STOPFILE the silence
 * only counts once STOPFILE exists (the test creates it after the sender
 * finished), so a sender that is slow to start cannot end the count early.
 */
static int cmd_udp_sink(int argc, char **argv)
{
	long timeout = 1000, count = 0;
	const char *stopfile = NULL;
	static char buf[65536];
	struct pollfd pfd;
	int64_t last;
	int opt, fd, n;

	while ((opt = getopt(argc, argv, "+t:f:")) != -1) {
		switch (opt) {
		case 't': timeout = parse_num(optarg, "timeout", 1, INT_MAX); break;
		case 'f': stopfile = optarg; break;
		default: usage();
		}
	}
	fd = bound_socket(argc, argv, SOCK_DGRAM);
	pfd.fd = fd;
	pfd.events = POLLIN;
	last = now_ms();
	for (;;) {
		int wait = (int)timeout;

		if (stopfile && wait > 50)
			wait = 50;
		n = poll(&pfd, 1, wait);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die(1, "poll: %s", strerror(errno));
		if (n > 0) {
			/* drain everything queued, then wait for silence again */
			while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
				count++;
			last = now_ms();
			continue;
		}
		if (stopfile && access(stopfile, F_OK) != 0) {
			last = now_ms();
			continue;
		}
		if (now_ms() - last >= timeout)
			break;
	}
	printf("%ld\n", count);
	return 0;
}

__attribute__((noreturn))
static int cmd_udp_echo(int argc, char **argv)
{
	static char buf[65536];
	struct sockaddr_storage peer;
	socklen_t plen;
	ssize_t n;
	int fd;

	if (getopt(argc, argv, "+") != -1)
		usage();
	fd = bound_socket(argc, argv, SOCK_DGRAM);
	for (;;) {
		plen = sizeof(peer);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &plen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die(1, "recvfrom: %s", strerror(errno));
		}
		sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&peer, plen);
	}
}

static void write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* Accept loop for tcp-listen (echo) and tcp-sink (count and print). */
__attribute__((noreturn))
static int tcp_server(int argc, char **argv, int echo)
{
	struct pollfd pfd[MAX_CONN + 1];
	long long bytes[MAX_CONN + 1];
	static char buf[65536];
	int lfd, nfds = 1, i;

	if (getopt(argc, argv, "+") != -1)
		usage();
	lfd = bound_socket(argc, argv, SOCK_STREAM);
	pfd[0].fd = lfd;
	pfd[0].events = POLLIN;
	for (;;) {
		if (poll(pfd, (nfds_t)nfds, -1) < 0) {
			if (errno == EINTR)
				continue;
			die(1, "poll: %s", strerror(errno));
		}
		if (pfd[0].revents & POLLIN) {
			int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

			if (c >= 0 && nfds > MAX_CONN)
				close(c);
			else if (c >= 0) {
				pfd[nfds].fd = c;
				pfd[nfds].events = POLLIN;
				pfd[nfds].revents = 0;
				bytes[nfds] = 0;
				nfds++;
			}
		}
		for (i = 1; i < nfds; i++) {
			ssize_t n;

			if (!pfd[i].revents)
				continue;
			n = read(pfd[i].fd, buf, sizeof(buf));
			if (n > 0) {
				bytes[i] += n;
				if (echo)
					write_all(pfd[i].fd, buf, (size_t)n);
				continue;
			}
			if (n < 0 && errno == EINTR)
				continue;
			if (!echo) {
				printf("%lld\n", bytes[i]);
				fflush(stdout);
			}
			close(pfd[i].fd);
			pfd[i] = pfd[nfds - 1];
			bytes[i] = bytes[nfds - 1];
			nfds--;
			i--;
		}
	}
}

static int wait_fd(int fd, short ev, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = ev };
	int64_t left;
	int n;

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			return 0;
		n = poll(&pfd, 1, (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		return n;
	}
}

static int cmd_tcp_connect(int argc, char **argv)
{
	const char *src = NULL, *stopfile = NULL;
	long timeout = 3000, sport = -1, bytes = 0, rate = 0;
	struct sockaddr_storage dst;
	socklen_t dlen, elen;
	int opt, fd, err = 0, no_echo = 0;
	int64_t deadline, start;
	static char out[65536], in[65536];
	long sent = 0, got = 0, i;

	while ((opt = getopt(argc, argv, "+t:s:p:nr:f:")) != -1) {
		switch (opt) {
		case 't': timeout = parse_num(optarg, "timeout", 1, INT_MAX); break;
		case 's': src = optarg; break;
		case 'p': sport = parse_num(optarg, "source port", 1, 65535); break;
		case 'n': no_echo = 1; break;
		case 'r': rate = parse_num(optarg, "rate", 1, 100000000); break;
		case 'f': stopfile = optarg; break;
		default: usage();
		}
	}
	if (argc - optind < 2 || argc - optind > 3)
		usage();
	resolve(argv[optind], parse_num(argv[optind + 1], "port", 1, 65535), &dst, &dlen);
	if (argc - optind == 3)
		bytes = parse_num(argv[optind + 2], "bytes", 0, LONG_MAX);
	deadline = now_ms() + timeout;

	fd = mksock(dst.ss_family, SOCK_STREAM);
	bind_source(fd, dst.ss_family, src, sport);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (connect(fd, (struct sockaddr *)&dst, dlen) < 0) {
		if (errno != EINPROGRESS)
			die(1, "connect %s: %s", argv[optind], strerror(errno));
		if (wait_fd(fd, POLLOUT, deadline) <= 0)
			die(1, "connect %s: timed out after %ld ms", argv[optind], timeout);
		elen = sizeof(err);
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
		if (err)
			die(1, "connect %s: %s", argv[optind], strerror(err));
	}
	for (i = 0; i < (long)sizeof(out); i++)
		out[i] = (char)('a' + i % 26);

	start = now_ms();
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - now_ms();
		long budget = LONG_MAX;
		int waitms;
		ssize_t n;

		/* -f: the transfer grows until the stop file exists */
		if (stopfile && sent >= bytes && access(stopfile, F_OK) != 0)
			bytes = sent + (long)sizeof(out);
		if (!(sent < bytes || (!no_echo && got < bytes)))
			break;
		/* -r: at most rate KiB per second since the start */
		if (rate)
			budget = (long)((now_ms() - start + 1) * rate * 1024 / 1000) - sent;
		if (sent < bytes && budget > 0)
			pfd.events |= POLLOUT;
		waitms = left > INT_MAX ? INT_MAX : (int)left;
		if ((rate && sent < bytes && budget <= 0) || stopfile)
			waitms = waitms > 10 ? 10 : waitms;
		if (left <= 0)
			die(1, "transfer timed out after %ld ms (sent %ld, echoed %ld of %ld)",
			    timeout, sent, got, bytes);
		n = poll(&pfd, 1, waitms);
		if (n < 0 && errno != EINTR)
			die(1, "poll: %s", strerror(errno));
		if (n <= 0) {
			if (waitms == left)
				die(1, "transfer timed out after %ld ms (sent %ld, echoed %ld of %ld)",
				    timeout, sent, got, bytes);
			continue;
		}
		if (pfd.revents & POLLOUT) {
			long want = bytes - sent;
			long off = sent % 26;

			if (want > budget)
				want = budget;
			if (want > (long)sizeof(out) - 26)
				want = (long)sizeof(out) - 26;
			n = send(fd, out + off, (size_t)want, MSG_NOSIGNAL);
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				die(1, "send: %s", strerror(errno));
			if (n > 0)
				sent += n;
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			n = recv(fd, in, sizeof(in), 0);
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				die(1, "recv: %s", strerror(errno));
			if (n == 0)
				die(1, "connection closed by peer after %ld of %ld echoed bytes",
				    got, bytes);
			for (i = 0; !no_echo && i < n; i++) {
				if (in[i] != (char)('a' + (got + i) % 26))
					die(1, "echo mismatch at byte %ld", got + i);
			}
			if (n > 0)
				got += n;
		}
	}
	shutdown(fd, SHUT_WR);
	if (no_echo && bytes) {
		/* wait for the peer to close: all our data was consumed */
		for (;;) {
			ssize_t n;

			if (wait_fd(fd, POLLIN, deadline) <= 0)
				die(1, "peer did not close within %ld ms", timeout);
			n = recv(fd, in, sizeof(in), 0);
			if (n == 0)
				break;
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				die(1, "recv: %s", strerror(errno));
		}
	}
	close(fd);
	if (stopfile)
		printf("%ld\n", sent);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2)
		usage();
	cmd = argv[1];
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	argc--;
	argv++;
	optind = 1;
	if (!strcmp(cmd, "udp-send"))
		return cmd_udp_send(argc, argv);
	if (!strcmp(cmd, "udp-sink"))
		return cmd_udp_sink(argc, argv);
	if (!strcmp(cmd, "udp-echo"))
		return cmd_udp_echo(argc, argv);
	if (!strcmp(cmd, "tcp-listen"))
		return tcp_server(argc, argv, 1);
	if (!strcmp(cmd, "tcp-sink"))
		return tcp_server(argc, argv, 0);
	if (!strcmp(cmd, "tcp-connect"))
		return cmd_tcp_connect(argc, argv);
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help"))
		usage();
	die(2, "unknown command '%s'", cmd);
	return 2;
}
