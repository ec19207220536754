// Command gencommon writes the list of common passwords that the password
// policy refuses. The list is built from patterns rather than copied from a
// leak: words people are known to start passwords with, combined with the
// endings they are known to add, plus keyboard walks and digit runs. Only
// entries the length rule would otherwise let through (12 characters or
// more) are written.
//
//	go run ./internal/gencommon > common.txt
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
)

// words people build passwords from: the word "password" in its disguises,
// keyboard rows, greetings, pets' and people's names, sports, brands, films,
// places in India and Japan, and words from this platform.
var words = strings.Fields(`
password passw0rd p@ssword p@ssw0rd pa55word pa55w0rd passwort motdepasse contrasena
qwerty qwertyuiop qwertyui qwertz azerty asdf asdfgh asdfghjkl zxcvbn zxcvbnm qazwsx
qweasd qweasdzxc 1qaz2wsx zaq12wsx 1q2w3e4r 1q2w3e4r5t q1w2e3r4 abc abcd abcdef abcdefg
abcdefgh abcdefghij letmein welcome welcomeback iloveyou loveyou lovely loveme hello
helloworld hellothere goodmorning goodluck whatever trustno1 trustnoone nothing secret
mysecret topsecret private changeme changeit default guest admin administrator root
superuser manager master letmeinnow opensesame access login logmein signin user
test tester testing testtest demo sample example temp temporary
dragon monkey tiger lion eagle falcon shark wolf panther dolphin butterfly unicorn
puppy kitty kitten doggy snoopy tigger pepper ginger maggie buster charlie bailey
michael jennifer jordan thomas hunter ranger daniel andrew joshua matthew robert
william david james john jessica ashley amanda nicole michelle hannah sarah emily
football baseball basketball soccer hockey cricket tennis golfer runner
sunshine princess superman batman spiderman ironman starwars startrek pokemon
naruto onepiece goku pikachu doraemon totoro matrix shadow killer ninja samurai
freedom liberty justice victory champion winner success money dollar rupee yen
computer internet network server system database mysql oracle linux ubuntu windows
microsoft google facebook instagram twitter linkedin youtube samsung iphone android
apple banana orange mango cherry cheese cookie chocolate coffee pizza burger
summer winter spring autumn sunday monday friday january december christmas
flower rainbow diamond silver golden purple yellow
mustang ferrari porsche corvette harley yamaha honda toyota suzuki
india bharat hindustan delhi newdelhi mumbai bombay bangalore bengaluru chennai
kolkata hyderabad pune jaipur lucknow kerala punjab
japan nippon nihon tokyo osaka kyoto nagoya sapporo fukuoka yokohama sakura fuji
konnichiwa arigato sayonara
krishna ganesh ganesha shiva hanuman sairam omsairam jaishreeram jaihind vandemataram
bollywood cricketlover sachin dhoni virat
student teacher school college university campus exchange internship scholarship
fellowship research science engineer professor
talentbridge talent bridge program programs matching profile
family forever together angel baby babygirl sweetheart darling honey
`)

// endings people append.
var endings = strings.Fields(`
1 12 123 1234 12345 123456 1234567 12345678 123456789 1234567890
0 00 000 01 007 11 111 1111 13 21 22 23 69 77 88 99 100 101 321 4321 54321 666 777 786 999
! !! !!! 1! 12! 123! 1234! @ @1 @12 @123 @1234 # #1 #123 $ $1 * .
2000 2001 2005 2010 2015 2018 2019 2020 2021 2022 2023 2024 2025 2026 2027 2028 2029 2030
1990 1995 1999 1980 1985
`)

// walks are keyboard and digit runs, used whole.
var walks = []string{
	"123456789012", "1234567890123", "12345678901234", "123456789123", "1234567891011",
	"098765432109", "0987654321", "111111111111", "000000000000", "121212121212",
	"123123123123", "112233445566", "147258369147", "159753159753", "135792468013",
	"qwertyuiopas", "qwertyuiopasdfgh", "qwertyuiop123", "qwertyuiop1234",
	"asdfghjkl123", "asdfghjkl;'", "zxcvbnm12345", "1qaz2wsx3edc", "1qaz2wsx3edc4rfv",
	"qazwsxedcrfv", "zaq1xsw2cde3", "!qaz@wsx#edc", "1q2w3e4r5t6y", "q1w2e3r4t5y6",
	"aaaaaaaaaaaa", "abcabcabcabc", "abcdefghijkl", "abcdefghijklmnop", "abcdefghijklmnopqrstuvwxyz",
	"abcd1234abcd", "abc123abc123", "aa11bb22cc33", "a1b2c3d4e5f6",
	"iloveyouiloveyou", "passwordpassword", "qwertyqwerty", "letmeinletmein",
}

func main() {
	seen := map[string]bool{}
	add := func(s string) {
		if len([]rune(s)) >= 12 && len(s) <= 128 {
			seen[strings.ToLower(s)] = true
		}
	}
	for _, w := range words {
		add(w)
		add(w + w)
		for _, e := range endings {
			add(w + e)
		}
		for _, e := range []string{"1", "12", "123", "1234", "12345", "123456", "!", "my", "the"} {
			add(e + w)
		}
	}
	for _, a := range words {
		for _, b := range []string{"123", "1234", "12345", "!", "2024", "2025"} {
			for _, c := range []string{"love", "my", "the", "i", "is"} {
				add(c + a + b)
			}
		}
	}
	for _, w := range walks {
		add(w)
	}
	list := make([]string, 0, len(seen))
	for s := range seen {
		list = append(list, s)
	}
	sort.Strings(list)
	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(out, "# Common passwords the policy refuses (lower case, one per line).")
	fmt.Fprintln(out, "# Generated by internal/gencommon from patterns; do not edit by hand.")
	for _, s := range list {
		fmt.Fprintln(out, s)
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
