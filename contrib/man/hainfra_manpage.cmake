# Writes hainfra(1) from the CLI's own help, so the man page cannot drift from the binary: the command list
# of `hainfra --help`, then each command's `hainfra COMMAND --help`, plus the fixed sections below.
# Run at build time (contrib/CMakeLists.txt):
#   cmake -DHAINFRA=path/to/hainfra -DOUTPUT=hainfra.1 -DVERSION=0.1.0 -P hainfra_manpage.cmake
cmake_minimum_required(VERSION 3.25)

# Text as troff: backslashes escaped, hyphens as minus signs (so options copy as typed), and a line that
# would start with a control character guarded.
function(hainfra_troff text out_var)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

function(hainfra_help out_var)
  execute_process(COMMAND "${HAINFRA}" ${ARGN} OUTPUT_VARIABLE help RESULT_VARIABLE status ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "`hainfra ${ARGN}` failed (${status}): ${err}")
  endif()
  set(${out_var} "${help}" PARENT_SCOPE)
endfunction()

hainfra_help(usage --help)
string(REPLACE "\n" ";" usage_lines "${usage}")
set(commands "")
set(command_section "")
foreach(line IN LISTS usage_lines)
  if(line MATCHES "^  ([a-z][a-z-]*)  +(.*)$")
    set(name "${CMAKE_MATCH_1}")
    set(summary "${CMAKE_MATCH_2}")
    list(APPEND commands "${name}")
    hainfra_help(help ${name} --help)
    hainfra_troff("${summary}" summary)
    hainfra_troff("${help}" help)
    string(APPEND command_section ".SS \"hainfra ${name}\"\n${summary}.\n")
    if(help MATCHES "^usage:")  # `version` has no options: its --help is the version
      string(APPEND command_section ".PP\n.nf\n${help}.fi\n")
    endif()
  endif()
endforeach()
if(NOT commands)
  message(FATAL_ERROR "`hainfra --help` listed no commands:\n${usage}")
endif()

# The page around the commands: a bracket argument, so troff's backslashes stay as written.
set(page [==[.\" Generated from `hainfra --help` by contrib/man/hainfra_manpage.cmake; do not edit.
.TH HAINFRA 1 "" "hainfra @VERSION@" "User Commands"
.SH NAME
hainfra \- declarative reconciler for Proxmox VE clusters
.SH SYNOPSIS
.B hainfra
.I COMMAND
.RI [ options ]
.br
.B hainfra
.BR \-\-help " | " \-\-version
.SH DESCRIPTION
.B hainfra
keeps a Proxmox VE cluster as one YAML spec describes it: nodes, network, SDN VLANs, Corosync, Ceph pools,
storage, VMs, HA and backup jobs, package baselines.
.B hainfra plan
shows field by field what differs from the live cluster;
.B hainfra apply
changes it in a safe order;
.B hainfra drift
reports drift, and
.B hainfra enforce
corrects it unattended, from a systemd timer, a CI schedule or a Kubernetes CronJob.
Every run observes the live cluster: there is no state file.
.SH COMMANDS
@COMMANDS@.SH EXIT STATUS
0 on success; 1 on an error or a refused change;
2 from
.B drift
when the cluster drifted, and from
.B plan \-\-detailed\-exitcode
when there are changes.
.SH ENVIRONMENT
.TP
.B NO_COLOR
no colour in the output (there is none either when standard output is not a terminal).
.TP
.BR PVE_TOKEN_SECRET ", or any name the spec reads as " ${env:NAME}
secrets of the spec; they are never printed, logged or written to a plan file.
.SH FILES
.TP
.I ./hainfra.yaml\fR, \fI./hainfra/
the spec, when
.B \-f
is not given.
.TP
.I /etc/hainfra/spec/
the spec of the scheduled enforcement (hainfra\-enforce.service).
.TP
.I /etc/hainfra/enforce.env
its environment: the API token's secret and more options (HAINFRA_ENFORCE_ARGS).
.TP
.I /var/lib/hainfra/
its state: the last run's report, the run log, the back\-off state.
.SH SEE ALSO
.BR systemd.timer (5),
.BR systemctl (1).
The documentation in /usr/share/doc/hainfra/ and docs/ of the source tree.
]==])
string(REPLACE "@VERSION@" "${VERSION}" page "${page}")
string(REPLACE "@COMMANDS@" "${command_section}" page "${page}")
file(WRITE "${OUTPUT}" "${page}")
