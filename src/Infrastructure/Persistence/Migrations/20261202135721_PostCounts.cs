using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Scheduler.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PostCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_post_details_company_id_status_published_at",
                table: "post_details");

            migrationBuilder.DropIndex(
                name: "ix_post_details_platform_status",
                table: "post_details");

            migrationBuilder.AddColumn<int>(
                name: "recovered",
                table: "queue_rollups",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "run_at",
                table: "post_details",
                type: "datetime(6)",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            // The post's time, until now on its queue row only.
            migrationBuilder.Sql("UPDATE post_details d JOIN post_schedule s ON s.post_detail_id = d.id SET d.run_at = s.run_at;");

            migrationBuilder.CreateTable(
                name: "post_counts",
                columns: table => new
                {
                    company_id = table.Column<Guid>(type: "binary(16)", nullable: false),
                    platform = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    status = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    shard = table.Column<byte>(type: "tinyint unsigned", nullable: false),
                    count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_post_counts", x => new { x.company_id, x.platform, x.status, x.shard });
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            // The counts of the posts already there; every save keeps them from here on.
            migrationBuilder.Sql(
                """
                INSERT INTO post_counts (company_id, platform, status, shard, count)
                  SELECT company_id, platform, status, 0, COUNT(*) FROM post_details GROUP BY company_id, platform, status;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_post_details_company_id_run_at_id",
                table: "post_details",
                columns: new[] { "company_id", "run_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_post_details_company_id_status_published_at_run_at",
                table: "post_details",
                columns: new[] { "company_id", "status", "published_at", "run_at" });

            migrationBuilder.CreateIndex(
                name: "ix_post_details_company_id_status_run_at_id",
                table: "post_details",
                columns: new[] { "company_id", "status", "run_at", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "post_counts");

            migrationBuilder.DropIndex(
                name: "ix_post_details_company_id_run_at_id",
                table: "post_details");

            migrationBuilder.DropIndex(
                name: "ix_post_details_company_id_status_published_at_run_at",
                table: "post_details");

            migrationBuilder.DropIndex(
                name: "ix_post_details_company_id_status_run_at_id",
                table: "post_details");

            migrationBuilder.DropColumn(
                name: "recovered",
                table: "queue_rollups");

            migrationBuilder.DropColumn(
                name: "run_at",
                table: "post_details");

            migrationBuilder.CreateIndex(
                name: "ix_post_details_company_id_status_published_at",
                table: "post_details",
                columns: new[] { "company_id", "status", "published_at" });

            migrationBuilder.CreateIndex(
                name: "ix_post_details_platform_status",
                table: "post_details",
                columns: new[] { "platform", "status" });
        }
    }
}
