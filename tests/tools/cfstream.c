// SPDX-License-Identifier: GPL-2.0
/*
 * cfstream - a camera's video stream for the benchmark's flood lane
 * (bench/guest.sh): UDP datagrams at a fixed rate, paced on an absolute
 * schedule (clock_nanosleep TIMER_ABSTIME on CLOCK_MONOTONIC), so the
 * offered rate is the same whatever each send costs and however late the
 * sender is woken: a late sender catches up (as a camera's encoder does not
 * slow down because a router is busy).
 *
 *   cfstream [-s SRCADDR] [-f STOPFILE] [-n NAMES] ADDR PORT PPS SIZE
 *
 * Sends SIZE-byte datagrams to ADDR:PORT (numeric IPv4), PPS per second,
 * or with -n, DNS queries (RFC 1035: one question, type A, class IN, for
 * nI.cam.bench.example, I drawn pseudo-randomly from 0..NAMES-1 with a
 * fixed seed, so a table of fewer than NAMES entries sees hits and misses;
 * SIZE is then ignored (0 allowed): each datagram is the query, 38-41 bytes;
 * the DNS lane of bench/guest.sh),
 * until STOPFILE exists (checked every 10 ms of schedule) or it is killed
 * (SIGTERM/SIGINT: it stops cleanly).  Prints the number of datagrams sent.
 * A send error other than ENOBUFS/EAGAIN/ECONNREFUSED is fatal; those count
 * as not sent.  Exit 0 on success, 1 on an error, 2 on usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

__attribute__((noreturn))
static void usage(void)
{
	fprintf(stderr, "usage: cfstream [-s SRCADDR] [-f STOPFILE] [-n NAMES] ADDR PORT PPS SIZE\n");
	exit(2);
}

static long num(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		usage();
	return v;
}

static int addr(const char *s, struct sockaddr_in *sa, long port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((unsigned short)port);
	return inet_pton(AF_INET, s, &sa->sin_addr) == 1 ? 0 : -1;
}

/* A DNS query for nI.cam.bench.example into buf (>= 64 bytes): its length. */
static size_t dns_query(unsigned char *buf, unsigned int id, unsigned long i)
{
	static const unsigned char tail[] = "\3cam\5bench\7example";
	size_t n = 12;
	int len;

	memset(buf, 0, 12);
	buf[0] = (unsigned char)(id >> 8);
	buf[1] = (unsigned char)id;
	buf[2] = 0x01;				/* RD */
	buf[5] = 1;				/* QDCOUNT */
	len = snprintf((char *)buf + n + 1, 16, "n%lu", i);
	buf[n] = (unsigned char)len;
	n += 1 + (size_t)len;
	memcpy(buf + n, tail, sizeof(tail));	/* with the root label */
	n += sizeof(tail);
	buf[n++] = 0;				/* QTYPE A */
	buf[n++] = 1;
	buf[n++] = 0;				/* QCLASS IN */
	buf[n++] = 1;
	return n;
}

int main(int argc, char **argv)
{
	const char *src = NULL, *stopfile = NULL;
	struct sockaddr_in dst, sa;
	struct timespec next;
	long port, pps, size, period_ns, i, names = 0;
	unsigned long sent = 0, rnd = 1;
	struct sigaction act;
	char *buf;
	int opt, fd;

	while ((opt = getopt(argc, argv, "s:f:n:")) != -1) {
		switch (opt) {
		case 's': src = optarg; break;
		case 'f': stopfile = optarg; break;
		case 'n': names = num(optarg, 1, 1000000); break;
		default: usage();
		}
	}
	if (argc - optind != 4)
		usage();
	port = num(argv[optind + 1], 1, 65535);
	pps = num(argv[optind + 2], 1, 1000000);
	size = num(argv[optind + 3], names ? 0 : 1, 65507);
	if (addr(argv[optind], &dst, port))
		usage();
	period_ns = 1000000000L / pps;
	if (names)
		size = 64;
	buf = calloc(1, (size_t)size);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (!buf || fd < 0) {
		perror("cfstream: socket");
		return 1;
	}
	if (src) {
		if (addr(src, &sa, 0))
			usage();
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
			perror("cfstream: bind");
			return 1;
		}
	}
	memset(&act, 0, sizeof(act));
	act.sa_handler = on_signal;
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (i = 0; !stop; i++) {
		if (stopfile && i % (pps / 100 + 1) == 0 && access(stopfile, F_OK) == 0)
			break;
		next.tv_nsec += period_ns;
		while (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		while (!stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
		if (stop)
			break;
		if (names) {
			/* a fixed LCG (Numerical Recipes): the same sequence every run */
			rnd = (rnd * 1664525UL + 1013904223UL) & 0xffffffffUL;
			size = (long)dns_query((unsigned char *)buf, (unsigned int)i,
					       (rnd >> 8) % (unsigned long)names);
		}
		if (sendto(fd, buf, (size_t)size, 0, (struct sockaddr *)&dst, sizeof(dst)) == size) {
			sent++;
		} else if (errno != ENOBUFS && errno != EAGAIN && errno != ECONNREFUSED) {
			perror("cfstream: sendto");
			return 1;
		}
	}
	printf("%lu\n", sent);
	free(buf);
	close(fd);
	return 0;
}
