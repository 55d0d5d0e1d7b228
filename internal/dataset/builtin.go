package dataset

import (
	"bytes"
	"compress/gzip"
	"context"
	"embed"
	"fmt"
	"io"
	"strings"
	"sync"

	"agglo/internal/i18n"
)

//go:generate go run gen_builtin.go

// builtinFiles are the real data sets that ship with agglo, copied from
// the repository's testdata/ by gen_builtin.go (go generate) and kept as
// gzip'd CSV; data/builtin/README.md names their sources and licences.
//
//go:embed data/builtin/*.agglo.gz data/builtin/README.md data/builtin/licenses
var builtinFiles embed.FS

// builtinCSV are the copies themselves, from which the binary forms are
// built (BuildBuiltin); only go generate and the freshness test read them.
//
//go:embed data/builtin/*.csv.gz
var builtinCSV embed.FS

// Built-in data set ids (agglo --dataset).
const (
	BuiltinPaper       = "paper"
	BuiltinProvinceST  = "province-st"
	BuiltinCensus      = "census"
	BuiltinProvince201 = "province-2019"
	// BuiltinConnectivity holds city patents, urban-district GDP and
	// population, and three intercity network degrees (Liang et al. 2024).
	BuiltinConnectivity = "city-connectivity"
	// BuiltinCityGDP holds the whole-city GDP of 2015 of the five
	// agglomerations' cities.
	BuiltinCityGDP = "city-gdp-2015"
)

// AnalysisBuiltins are the built-in data sets the diagnosis, the strategy
// and the report use when none is named (CLI and API alike): the paper's
// data, the census (member-city population in two years), the city
// patents and intercity networks, and the whole-city GDP of 2015, so that
// the spatial structure is read at the member cities.
func AnalysisBuiltins() []string {
	return []string{BuiltinPaper, BuiltinCensus, BuiltinConnectivity, BuiltinCityGDP}
}

// BuiltinSource describes a data set that ships with agglo: its id (for
// --dataset), what it holds, its years and units, its licence and where it
// comes from. File is its name under data/builtin/ ("" for the paper's
// data, which the replicate package assembles).
type BuiltinSource struct {
	ID          string    `json:"id"`
	Name        i18n.Text `json:"name"`
	Description i18n.Text `json:"description"`
	Years       string    `json:"years"`
	Units       i18n.Text `json:"units"`
	Licence     i18n.Text `json:"licence"`
	Source      i18n.Text `json:"source"`
	File        string    `json:"file,omitempty"`
}

// BuiltinSources lists the data sets that ship with agglo, the paper's
// first.
func BuiltinSources() []BuiltinSource {
	return []BuiltinSource{
		{ID: BuiltinPaper,
			Name:        i18n.T("论文数据（2019）", "the paper's data (2019)"),
			Description: i18n.T("论文印出的2019年数字（概况、表1至表3、正文陈述）、其所占的全国总量，以及由表1推算的图1数值", "the paper's printed 2019 numbers (overview, Tables 1-3, statements), the national totals they are shares of, and the Figure 1 values derived from Table 1"),
			Years:       "2019", Units: i18n.T("五大城市群及其成员省市", "the five agglomerations and their member provinces"),
			Licence: i18n.T("引自已发表论文的事实；全国总量为官方统计", "facts quoted from a publication; national totals: official statistics"),
			Source: i18n.T("张秋凤、牟绍波《新发展格局下中国五大城市群创新发展战略研究》；国家统计局《中国统计年鉴2020》",
				"Zhang Qiufeng and Mou Shaobo, innovation strategies of China's five urban agglomerations under the new development pattern; NBS China Statistical Yearbook 2020")},
		{ID: BuiltinProvinceST, File: "province_st_2010_2023.csv.gz",
			Name:        i18n.T("省级科技统计面板 2010–2023", "province science-and-technology panel 2010-2023"),
			Description: i18n.T("31个省级行政区及全国的51项科技指标（R&D经费与人员、专利、论文、技术市场、高技术产业、财政科技支出）", "51 science-and-technology indicators of the 31 provinces and the nation (R&D expenditure and personnel, patents, papers, technology market, high-tech manufacturing, public science budget)"),
			Years:       "2010-2023", Units: i18n.T("省级行政区、全国", "provinces, the nation"),
			Licence: i18n.T("MIT 许可，版权 (c) 2021 Hu Huaping", "MIT, Copyright (c) 2021 Hu Huaping"),
			Source: i18n.T("huhuaping/techme@9ad60a190dec4a56953da9c478d42cd44c80762a（中国科技统计年鉴、全国科技经费投入统计公报）",
				"huhuaping/techme@9ad60a190dec4a56953da9c478d42cd44c80762a (China Statistical Yearbook on Science and Technology, national R&D bulletins)")},
		{ID: BuiltinCensus, File: "city_census_2010_2020.csv.gz",
			Name:        i18n.T("第六次、第七次人口普查城市人口", "2010 and 2020 census population of cities"),
			Description: i18n.T("全部地级单元（含直辖市）2010年和2020年的常住人口与城镇常住人口", "resident and urban resident population of every prefecture-level unit (municipalities included) in the 2010 and 2020 censuses"),
			Years:       "2010, 2020", Units: i18n.T("地级市、直辖市", "prefecture-level cities, municipalities"),
			Licence: i18n.T("MIT 许可，版权 (c) 2022 Lei Dong", "MIT, Copyright (c) 2022 Lei Dong"),
			Source: i18n.T("leiii/census@0ba0f1efae092f4aa6569ef38e53b3bb4d2f0087 data/census/census_city_2010-2020_v1.csv（第六次、第七次全国人口普查）",
				"leiii/census@0ba0f1efae092f4aa6569ef38e53b3bb4d2f0087 data/census/census_city_2010-2020_v1.csv (6th and 7th national censuses)")},
		{ID: BuiltinProvince201, File: "province_2019.csv.gz",
			Name:        i18n.T("省级科技统计 2019", "province science-and-technology data 2019"),
			Description: i18n.T("31个省级行政区2019年的54项科技指标（含规上工业企业R&D活动）；重庆代码在源文件中写作5e+05，复制时改为500000", "54 science-and-technology indicators of the 31 provinces in 2019 (industrial firms with R&D included); Chongqing's code, written 5e+05 in the source, was written 500000 when copied"),
			Years:       "2019", Units: i18n.T("省级行政区", "provinces"),
			Licence: i18n.T("MIT 许可，版权 (c) 2021 Hu Huaping", "MIT, Copyright (c) 2021 Hu Huaping"),
			Source: i18n.T("huhuaping/techme（2019年年鉴整理表；《中国科技统计年鉴2020》）",
				"huhuaping/techme (tidy 2019 yearbook tables; China Statistical Yearbook on Science and Technology 2020)")},
		{ID: BuiltinConnectivity, File: "city_connectivity_2015_2017.csv.gz",
			Name: i18n.T("城市专利与城际联系 2015–2017", "city patents and intercity connectivity 2015-2017"),
			Description: i18n.T("274个地级以上城市的专利数（2017）、三个城际网络的度（微博社交 2015、腾讯人口流动 2016、合作论文 2017），以及市辖区口径的地区生产总值与户籍人口、城区人口、信息传输金融科研从业人员占比（2016）；市辖区口径的数值另设指标，不与全市口径混用",
				"patents (2017) of 274 prefecture-level cities, their degrees in three intercity networks (Weibo social media 2015, Tencent mobility 2016, co-publication 2017), and GDP and registered population of the urban districts, urban-district population and the employment share of information, finance and research (2016); urban-district values are separate indicators, never mixed with whole-city ones"),
			Years: "2015-2017", Units: i18n.T("地级市、直辖市（各指标一个年份）", "prefecture-level cities, municipalities (one year per indicator)"),
			Licence: i18n.T("MIT 许可，版权 (c) 2024 Xiaofan Liang", "MIT, Copyright (c) 2024 Xiaofan Liang"),
			Source: i18n.T("xiaofanliang/intercity_connectivity@f4952e2f837a4c61aa6cd7da9e788c0dcd379f9d Data/CN_Public.csv；Liang、Hidalgo、Balland、郑思齐、王江浩（2024），城际联系与城市创新，Computers, Environment and Urban Systems 109:102092",
				"xiaofanliang/intercity_connectivity@f4952e2f837a4c61aa6cd7da9e788c0dcd379f9d Data/CN_Public.csv; Liang, Hidalgo, Balland, Zheng and Wang (2024), Intercity connectivity and urban innovation, Computers, Environment and Urban Systems 109:102092")},
		{ID: BuiltinCityGDP, File: "city_gdp_2015.csv.gz",
			Name: i18n.T("五大城市群城市地区生产总值 2015", "whole-city GDP 2015 of the five agglomerations' cities"),
			Description: i18n.T("五大城市群127个城市单元中118个的全市地区生产总值；年份为2015年（由官方数值推定），不是2019年",
				"whole-city GDP of 118 of the five agglomerations' 127 city units; the year is 2015 (inferred from official values), not 2019"),
			Years: "2015", Units: i18n.T("五大城市群的地级市、直辖市", "the five agglomerations' prefecture-level cities and municipalities"),
			Licence: i18n.T("MIT 许可，版权 (c) 2020 QuantUrban", "MIT, Copyright (c) 2020 QuantUrban"),
			Source: i18n.T("quanturban/firm@67218beaadc916cb26ca968481c91ebd55e6cbd6 yearbook_light.csv（Dong 等 2021，Scientific Data 8:5；中国城市统计年鉴）",
				"quanturban/firm@67218beaadc916cb26ca968481c91ebd55e6cbd6 yearbook_light.csv (Dong et al. 2021, Scientific Data 8:5; China City Statistical Yearbook)")},
	}
}

// BuiltinSourceOf returns the built-in data set with the given id.
func BuiltinSourceOf(id string) (BuiltinSource, bool) {
	for _, s := range BuiltinSources() {
		if s.ID == id {
			return s, true
		}
	}
	return BuiltinSource{}, false
}

// BuiltinIDs returns the ids of the built-in data sets.
func BuiltinIDs() []string {
	var out []string
	for _, s := range BuiltinSources() {
		out = append(out, s.ID)
	}
	return out
}

// builtinSet holds the built-in data sets of an Embedded value, each read
// once, on first use.
type builtinSet struct {
	mu sync.Mutex
	m  map[string]*builtinEntry
}

type builtinEntry struct {
	once sync.Once
	ds   *Dataset
	err  error
}

// Builtin returns the built-in data set id (not the paper's data, which
// the replicate package assembles), imported from its embedded file on
// first use with the embedded registry and catalogue and kept: commands
// that never ask for it pay nothing. The result is read-only. A cancelled
// ctx gives ctx.Err() and is never kept as the data set's error.
func (e *Embedded) Builtin(ctx context.Context, id string) (*Dataset, error) {
	src, ok := BuiltinSourceOf(id)
	if !ok || src.File == "" {
		return nil, i18n.Errorf("没有内置数据集“%s”", "no built-in data set %q", id)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	e.builtin.mu.Lock()
	if e.builtin.m == nil {
		e.builtin.m = map[string]*builtinEntry{}
	}
	b := e.builtin.m[id]
	if b == nil {
		b = &builtinEntry{}
		e.builtin.m[id] = b
	}
	e.builtin.mu.Unlock()
	b.once.Do(func() { b.ds, b.err = e.readBuiltin(src) })
	return b.ds, b.err
}

// readBuiltin loads the binary form of a built-in data set (about a
// millisecond: not cancellable).
func (e *Embedded) readBuiltin(src BuiltinSource) (*Dataset, error) {
	opts, err := e.Fill(ReadOptions{})
	if err != nil {
		return nil, err
	}
	b, err := gunzipFile(builtinFiles, "data/builtin/"+src.ID+".agglo.gz")
	if err != nil {
		return nil, err
	}
	ds, err := Load(bytes.NewReader(b), opts)
	if err != nil {
		return nil, fmt.Errorf("built-in %s: %w", src.ID, err)
	}
	return ds, nil
}

func gunzipFile(fs embed.FS, name string) ([]byte, error) {
	b, err := fs.ReadFile(name)
	if err != nil {
		return nil, err
	}
	out, err := gunzipBytes(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// ReadBuiltinCSV imports the CSV copy of the built-in data set id with
// opts (registry and catalogue required). The data set is named after the
// copied file, so that provenance and messages name it.
func ReadBuiltinCSV(ctx context.Context, id string, opts ReadOptions) (*Dataset, error) {
	src, ok := BuiltinSourceOf(id)
	if !ok || src.File == "" {
		return nil, i18n.Errorf("没有内置数据集“%s”", "no built-in data set %q", id)
	}
	b, err := gunzipFile(builtinCSV, "data/builtin/"+src.File)
	if err != nil {
		return nil, err
	}
	opts.Published = true
	ds, err := ReadContext(ctx, bytes.NewReader(b), strings.TrimSuffix(src.File, ".gz"), CSV, opts)
	if err != nil {
		return nil, fmt.Errorf("built-in %s: %w", src.File, err)
	}
	return ds, nil
}

// BuildBuiltin imports the CSV copy of a built-in data set with the
// embedded registry and catalogue and returns its binary form, gzip'd
// without time stamp or name (what go generate embeds).
func BuildBuiltin(id string) ([]byte, error) {
	reg, err := LoadRegistry()
	if err != nil {
		return nil, err
	}
	cat, err := LoadCatalogue()
	if err != nil {
		return nil, err
	}
	ds, err := ReadBuiltinCSV(context.Background(), id, ReadOptions{Registry: reg, Catalogue: cat, Workers: 1})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if err := Save(zw, ds); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// BuiltinFile returns a file of the built-in data folder (its README and
// licence texts) by its name under data/builtin/.
func BuiltinFile(name string) ([]byte, error) { return builtinFiles.ReadFile("data/builtin/" + name) }

func gunzipBytes(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}
