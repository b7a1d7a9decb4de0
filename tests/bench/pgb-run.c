/*
 * pgb-run.c - run one command and append its wall time and peak RSS to a
 * log: the timer of `make bench` (tests/bench/run.sh builds it into the
 * bench cache; it is not part of pushgate).
 *
 *   pgb-run LOG COMMAND [ARG...]
 *
 * Appends "<wall ns> <peak RSS KiB> <status>\n" to LOG and exits with the
 * command's status (128 + signal if it was killed). Wall time is
 * CLOCK_MONOTONIC from just before fork() to just after wait4(); peak RSS
 * is wait4()'s ru_maxrss: the largest resident set of the command or of
 * any descendant it waited for, the number `/usr/bin/time -f %M` prints.
 * Standard input, output and error are the command's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	struct rusage ru;
	long long t0, t1;
	int status, code, fd;
	char line[96];
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: pgb-run LOG COMMAND [ARG...]\n");
		return 125;
	}
	t0 = now_ns();
	pid = fork();
	if (pid < 0) {
		perror("pgb-run: fork");
		return 125;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "pgb-run: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR) {
			perror("pgb-run: wait4");
			return 125;
		}
	t1 = now_ns();
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	/* CPU time too: on a shared machine the wall time also measures the neighbours. */
	snprintf(line, sizeof(line), "%lld %ld %d %lld\n", t1 - t0, ru.ru_maxrss, code,
		 ((long long)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
			 ((long long)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL);
	fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, line, strlen(line)) != (ssize_t)strlen(line)) {
		perror("pgb-run: log");
		return 125;
	}
	close(fd);
	return code;
}
