# Bash completion for ims and its commands.  The same file serves every
# command: install it under each command's name (make install does).

_ims_commands="item loc supplier receive move report check log backup forecast count pick po reorder
	client channel checkpoint"
_ims_reports="onhand ledger valuation aging turnover dio sales gl orders adjustments accuracy abc xyz fsn ved
	expiring lowstock movements dashboard suppliers billing available"

_ims_cost_reports="valuation aging turnover dio sales gl"

_ims_common_opts="--db= --output= --input-format= --dry-run --quiet
	--keep-going --rejects= --raw --no-sync --help --usage --version"

# The options of one command, beyond the common ones.
_ims_opts()
{
	case $1 in
	ims-item | ims-loc | ims-supplier | ims-client | ims-channel)
		echo "--list --show=" ;;
	ims-report)
		echo "--as-of= --depth= --group-by= --location= --since= --sku=
			--until= --abc-cuts= --xyz-cuts= --fsn-cuts= --matrix=
			--days= --period= --svg= --html= --client= --channel= --method=
			--buckets= --by-site --accounts=" ;;
	ims-log)
		echo "--restore --after= --upgrade" ;;
	ims-checkpoint)
		echo "--every= --drop --list" ;;
	ims-forecast)
		echo "--period= --method= --season-length= --holdout= --horizon=
			--level= --param= --summary --save --demand= --include-scrap
			--since= --until= --digits= --jobs=" ;;
	ims-count)
		echo "--sheet --cycle --date= --every= --blind --include-empty
			--location= --sku= --apply --at-now --force --complete
			--tolerance=" ;;
	ims-receive)
		echo "--tolerance=" ;;
	ims-po)
		echo "--list --open --supplier= --show= --approve --cancel
			--close --at=" ;;
	ims-pick)
		echo "--strategy= --location= --partial --all-or-nothing
			--shortages --wave --retry --expire --list --confirm
			--release-short --cancel" ;;
	esac
}

# Does option $2 of command $1 take a value?
_ims_takes_value()
{
	case $2 in
	--db | -o | --output | --input-format | --rejects) return 0 ;;
	-s | --show) [[ $1 == ims-item || $1 == ims-loc ||
	    $1 == ims-supplier || $1 == ims-po ||
	    $1 == ims-client || $1 == ims-channel ]] ;;
	--client | --channel) [[ $1 == ims-report ]] ;;
	--as-of | --depth | --group-by | --sku)
		[[ $1 == ims-report || $1 == ims-count ]] ;;
	--location)
		[[ $1 == ims-report || $1 == ims-count || $1 == ims-pick ]] ;;
	--until)
		[[ $1 == ims-report || $1 == ims-forecast || $1 == ims-count ]] ;;
	--since) [[ $1 == ims-report || $1 == ims-forecast ]] ;;
	--date | --every) [[ $1 == ims-count ]] ;;
	--tolerance) [[ $1 == ims-count || $1 == ims-receive ]] ;;
	--supplier | --at) [[ $1 == ims-po ]] ;;
	--strategy) [[ $1 == ims-pick ]] ;;
	--abc-cuts | --xyz-cuts | --fsn-cuts | --matrix | --days | --period | \
	    --svg | --html | --open) [[ $1 == ims-report ]] ;;
	--method | --buckets | --accounts) [[ $1 == ims-report ]] ;;
	--after) [[ $1 == ims-log ]] ;;
	--period | --method | --season-length | --holdout | --horizon | \
	    --level | --param | --demand | --digits | --jobs)
		[[ $1 == ims-forecast ]] ;;
	*) return 1 ;;
	esac
}

# Fill COMPREPLY with the words of $1 that start with $2.
_ims_words()
{
	mapfile -t COMPREPLY < <(compgen -W "$1" -- "$2")
}

_ims_files()
{
	compopt -o filenames 2>/dev/null
	mapfile -t COMPREPLY < <(compgen -f -- "$1")
}

_ims_dirs()
{
	compopt -o filenames 2>/dev/null
	mapfile -t COMPREPLY < <(compgen -d -- "$1")
}

# Complete the value $3 of option $2 of command $1.
_ims_value()
{
	case $2 in
	--db) _ims_dirs "$3" ;;
	-o | --output) _ims_words "ndjson csv table" "$3" ;;
	--input-format) _ims_words "ndjson csv" "$3" ;;
	--rejects) _ims_files "$3" ;;
	--group-by) _ims_words "sku location lot zone total" "$3" ;;
	--method) _ims_words "fifo avg" "$3" ;;
	--period) _ims_words "day week month" "$3" ;;
	--depth) _ims_words "1 2 3 4" "$3" ;;
	--period) _ims_words "day week month" "$3" ;;
	--method) _ims_words "auto naive snaive mean sma ses holt hw-add
		hw-mul croston sba tsb adida imapa" "$3" ;;
	--demand) _ims_words "orders shipments" "$3" ;;
	--strategy) _ims_words "fifo fefo lifo fewest-locations" "$3" ;;
	--matrix) _ims_words "xyz ved" "$3" ;;
	--svg | --html) _ims_files "$3" ;;
	*) COMPREPLY=() ;;
	esac
}

# Complete command $1, whose arguments start at COMP_WORDS[$2 + 1].
_ims_complete()
{
	local cmd=$1 first=$2 i w
	local cur=${COMP_WORDS[COMP_CWORD]} prev='' prev2=''

	((COMP_CWORD - 1 > first)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	((COMP_CWORD - 2 > first)) && prev2=${COMP_WORDS[COMP_CWORD - 2]}

	# --opt=value, with '=' split off as a word of its own or not
	if [[ $cur == = && $prev == --* ]]; then
		_ims_value "$cmd" "$prev" ""
		return
	fi
	if [[ $prev == = && $prev2 == --* ]]; then
		_ims_value "$cmd" "$prev2" "$cur"
		return
	fi
	if [[ $cur == --*=* ]]; then
		_ims_value "$cmd" "${cur%%=*}" "${cur#*=}"
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=${cur%%=*}=${COMPREPLY[i]}
		done
		return
	fi
	# --opt value, -o value
	if [[ $prev == -* ]] && _ims_takes_value "$cmd" "$prev"; then
		_ims_value "$cmd" "$prev" "$cur"
		return
	fi

	if [[ $cur == -* ]]; then
		_ims_words "$_ims_common_opts $(_ims_opts "$cmd")" "$cur"
		[[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == *= ]] &&
			compopt -o nospace 2>/dev/null
		return
	fi

	case $cmd in
	ims-report)
		for ((i = first + 1; i < COMP_CWORD; i++)); do
			w=${COMP_WORDS[i]}
			[[ " $_ims_reports " == *" $w "* ]] && return
		done
		_ims_words "$_ims_reports" "$cur" ;;
	ims-backup)
		_ims_dirs "$cur" ;;
	ims-check | ims-checkpoint)
		COMPREPLY=() ;;
	ims-log)
		for ((i = first + 1; i < COMP_CWORD; i++)); do
			[[ ${COMP_WORDS[i]} == --restore ]] &&
				{ _ims_files "$cur"; return; }
		done
		COMPREPLY=() ;;
	ims-pick)
		# order ids after --cancel; no input with --retry, --expire
		# and --list
		for ((i = first + 1; i < COMP_CWORD; i++)); do
			case ${COMP_WORDS[i]} in
			--cancel | --retry | --expire | --list)
				COMPREPLY=()
				return ;;
			esac
		done
		_ims_files "$cur" ;;
	ims-po)
		# PO ids after a change; no input with --list and --show
		for ((i = first + 1; i < COMP_CWORD; i++)); do
			case ${COMP_WORDS[i]} in
			--approve | --cancel | --close | --list | --show | \
			    --show=*)
				COMPREPLY=()
				return ;;
			esac
		done
		_ims_files "$cur" ;;
	*)
		_ims_files "$cur" ;;
	esac
}

_ims()
{
	local cmd=${COMP_WORDS[0]##*/}

	if [[ $cmd != ims ]]; then
		_ims_complete "$cmd" 0
		return
	fi
	if ((COMP_CWORD == 1)); then
		_ims_words "$_ims_commands --help --version" \
		    "${COMP_WORDS[1]}"
		return
	fi
	_ims_complete "ims-${COMP_WORDS[1]}" 1
}

complete -F _ims ims ims-item ims-loc ims-supplier ims-receive ims-move \
    ims-report ims-check ims-log ims-backup ims-forecast ims-count ims-pick \
    ims-po ims-reorder ims-client ims-channel ims-checkpoint
