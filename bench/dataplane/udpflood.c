// SPDX-License-Identifier: MIT
/*
 * UDP flood for the data plane benchmark: Node's dgram cannot send fast enough
 * to load the kernel path being measured, sendmmsg/recvmmsg can.
 *   udpflood send DST_IP PORT SECONDS   prints datagrams sent
 *   udpflood recv PORT IDLE_MS          prints datagrams received until IDLE_MS pass without one
 *                                       (or 5 s pass before the first)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define PAYLOAD 64

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int flood(const char *ip, int port, double seconds)
{
	struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	char payload[PAYLOAD] = "stratum-bench";
	unsigned long long sent = 0;
	double end;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || inet_pton(AF_INET, ip, &dst.sin_addr) != 1)
		return 1;
	if (connect(fd, (struct sockaddr *)&dst, sizeof(dst)) < 0)
		return 1;
	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < BATCH; i++) {
		iov[i].iov_base = payload;
		iov[i].iov_len = sizeof(payload);
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	end = now_s() + seconds;
	while (now_s() < end) {
		int n = sendmmsg(fd, msgs, BATCH, 0);

		if (n > 0)
			sent += n;
	}
	printf("%llu\n", sent);
	return 0;
}

static int count(int port, int idle_ms)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	static char buffers[BATCH][2048];
	unsigned long long received = 0;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int rcvbuf = 8 << 20;

	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return 1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < BATCH; i++) {
		iov[i].iov_base = buffers[i];
		iov[i].iov_len = sizeof(buffers[i]);
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int ready = poll(&pfd, 1, received ? idle_ms : 5000);
		int n;

		if (ready <= 0)
			break;
		n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
		if (n > 0)
			received += n;
	}
	printf("%llu\n", received);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "send") == 0)
		return flood(argv[2], atoi(argv[3]), atof(argv[4]));
	if (argc == 4 && strcmp(argv[1], "recv") == 0)
		return count(atoi(argv[2]), atoi(argv[3]));
	fprintf(stderr, "usage: udpflood send DST_IP PORT SECONDS | udpflood recv PORT IDLE_MS\n");
	return 2;
}
